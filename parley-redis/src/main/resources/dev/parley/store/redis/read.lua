-- Reads one part of a session together with its expiry, so "no session" and the data come from one moment.
-- KEYS: info, then the keys the mode reads
-- ARGV: mode, and for 'field' the field name
--   'row'    KEYS[2] branches               -> {expiresAt, info, branches}
--   'field'  KEYS[2] a hash                 -> {expiresAt, value or nil}
--   'hash'   KEYS[2] a hash                 -> {expiresAt, field, value, ...}
--   'zorder' KEYS[2] a hash, KEYS[3] zset   -> {expiresAt, values in the zset's order}
--   'lorder' KEYS[2] a hash, KEYS[3] list   -> {expiresAt, values in the list's order}
-- Returns {} when there is no session.
if not redis.call('HGET', KEYS[1], 'uid') then
  return {}
end
local expiresAt = redis.call('HGET', KEYS[1], 'expiresAt') or ''
local mode = ARGV[1]
if mode == 'row' then
  return {expiresAt, redis.call('HGETALL', KEYS[1]), redis.call('HGETALL', KEYS[2])}
elseif mode == 'field' then
  return {expiresAt, redis.call('HGET', KEYS[2], ARGV[2])}
elseif mode == 'hash' then
  local out = {expiresAt}
  for _, v in ipairs(redis.call('HGETALL', KEYS[2])) do
    out[#out + 1] = v
  end
  return out
end
local names
if mode == 'zorder' then
  names = redis.call('ZRANGE', KEYS[3], 0, -1)
else
  names = redis.call('LRANGE', KEYS[3], 0, -1)
end
local out = {expiresAt}
for _, name in ipairs(names) do
  out[#out + 1] = redis.call('HGET', KEYS[2], name)
end
return out
