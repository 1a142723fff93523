-- Deletes a user's wrapped key and its entry in the ordered ids, together.
-- KEYS: the tenant's user-key hash, the tenant's sorted set of user ids with a key (same slot)
-- ARGV: user
redis.call('HDEL', KEYS[1], ARGV[1])
return redis.call('ZREM', KEYS[2], ARGV[1])
