-- The last entries of a path, walking parent links inside Redis: one call reads at most `limit` entries.
-- KEYS: info, e, par
-- ARGV: head seq, limit (>= 0)
-- Returns {} when there is no session, else {expiresAt, head found (0/1), seq to continue from ('' at the root), entry json...},
-- newest first.
local expiresAt = redis.call('HGET', KEYS[1], 'expiresAt')
if not redis.call('HGET', KEYS[1], 'uid') then
  return {}
end
local out = {expiresAt or '', 0, ''}
local seq = ARGV[1]
local json = redis.call('HGET', KEYS[2], seq)
if not json then
  return out
end
out[2] = 1
local limit = tonumber(ARGV[2])
local n = 0
while json and n < limit do
  n = n + 1
  out[n + 3] = json
  seq = redis.call('HGET', KEYS[3], seq)
  if not seq then
    return out
  end
  json = redis.call('HGET', KEYS[2], seq)
end
if json then
  out[3] = seq
end
return out
