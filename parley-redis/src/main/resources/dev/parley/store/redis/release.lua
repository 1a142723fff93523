-- Removes a pending idempotency claim (its request failed); a completed record stays.
-- KEYS: idem, idemz
-- ARGV: key
local record = redis.call('HGET', KEYS[1], ARGV[1])
if record and cjson.decode(record).pending then
  redis.call('HDEL', KEYS[1], ARGV[1])
  redis.call('ZREM', KEYS[2], ARGV[1])
  return 1
end
return 0
