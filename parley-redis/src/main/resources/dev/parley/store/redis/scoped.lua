-- Sets or removes one key of user- or app-scope state, optionally only at an expected version.
-- KEYS: the scope's hash (fields 'v:<key>' hold values, 'n:<key>' versions)
-- ARGV: key, json ('' removes), expected version ('' for none; '0' means the key must not exist)
-- Returns {'ok', new version} or {'conflict', current version}.
local current = tonumber(redis.call('HGET', KEYS[1], 'n:' .. ARGV[1]) or '0')
if ARGV[3] ~= '' and tonumber(ARGV[3]) ~= current then
  return {'conflict', current}
end
if ARGV[2] == '' then
  redis.call('HDEL', KEYS[1], 'v:' .. ARGV[1], 'n:' .. ARGV[1])
  return {'ok', 0}
end
redis.call('HSET', KEYS[1], 'v:' .. ARGV[1], ARGV[2], 'n:' .. ARGV[1], current + 1)
return {'ok', current + 1}
