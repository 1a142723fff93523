-- Removes idempotency records older than the retention and returns the oldest remaining one's score (nil if none).
-- KEYS: idem, idemz
-- ARGV: cutoff (ms)
for _, old in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[1])) do
  redis.call('HDEL', KEYS[1], old)
end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[1])
local oldest = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
return oldest[2]
