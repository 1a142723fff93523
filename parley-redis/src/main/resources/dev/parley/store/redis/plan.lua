-- What planning a write needs, read in one consistent step: the session row, its branches, the entry the
-- write appends to, the idempotency record of the write's key, and whether its vault rows are already taken.
-- KEYS: info, br, e, idem, vp, vl
-- ARGV: branch the write appends to ('' if none), entry seq it appends to ('' if none), idempotency key ('' if none),
--       count of placeholders, placeholders..., count of lookups, lookups...
-- Returns {} when there is no session, else {info, branches, parent seq, parent json, idempotency record, placeholder flags, lookup flags}.
local info = redis.call('HGETALL', KEYS[1])
if #info == 0 then
  return {}
end
local parentSeq = ARGV[2]
if ARGV[1] ~= '' then
  parentSeq = redis.call('HGET', KEYS[2], ARGV[1]) or ''
end
local parent = false
if parentSeq ~= '' then
  parent = redis.call('HGET', KEYS[3], parentSeq)
end
local record = false
if ARGV[3] ~= '' then
  record = redis.call('HGET', KEYS[4], ARGV[3])
end
local a = 4
local placeholders = {}
for i = 1, tonumber(ARGV[a]) do
  placeholders[i] = redis.call('HEXISTS', KEYS[5], ARGV[a + i])
end
a = a + #placeholders + 1
local lookups = {}
for i = 1, tonumber(ARGV[a]) do
  lookups[i] = redis.call('HEXISTS', KEYS[6], ARGV[a + i])
end
return {info, redis.call('HGETALL', KEYS[2]), parentSeq, parent, record, placeholders, lookups}
