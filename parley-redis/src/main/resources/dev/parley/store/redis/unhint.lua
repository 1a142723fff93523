-- Removes a tenant or user hint only if no write noted it since the caller read its token (see Directory).
-- KEYS: the hints (sorted set), their tokens (hash, same slot)
-- ARGV: member, the token read before the caller found nothing behind the hint
-- Returns 1 when removed, 0 when a write noted the hint meanwhile.
if redis.call('HGET', KEYS[2], ARGV[1]) ~= ARGV[2] then
  return 0
end
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
return 1
