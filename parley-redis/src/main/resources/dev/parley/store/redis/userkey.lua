-- Stores a user's wrapped key unless one is stored, and returns whether it did and the key that is stored.
-- KEYS: the tenant's user-key hash, the tenant's sorted set of user ids with a key (same slot)
-- ARGV: user, wrapped key
-- Returns {1 when stored now else 0, the stored key}.
local created = redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2])
if created == 1 then
  redis.call('ZADD', KEYS[2], 0, ARGV[1])
end
return {created, redis.call('HGET', KEYS[1], ARGV[1])}
