-- Entries in seq order after a seq, scanning at most `scan` seqs per call so a long session never blocks Redis.
-- KEYS: info, e
-- ARGV: after seq, limit, scan
-- Returns {} when there is no session, else {expiresAt, last seq scanned ('' when the end was reached), entry json...}.
local row = redis.call('HMGET', KEYS[1], 'uid', 'expiresAt', 'lastSeq')
if not row[1] then
  return {}
end
local last = tonumber(row[3])
local seq = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local stop = math.min(last, seq + tonumber(ARGV[3]))
local out = {row[2] or '', ''}
local n = 0
while seq < stop and n < limit do
  seq = seq + 1
  local json = redis.call('HGET', KEYS[2], seq)
  if json then
    n = n + 1
    out[n + 2] = json
  end
end
if seq < last and n < limit then
  out[2] = tostring(seq)
end
return out
