-- Stores a user's wrapped key unless one is stored, and returns the one that is.
-- KEYS: the tenant's user-key hash
-- ARGV: user, wrapped key
redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2])
return redis.call('HGET', KEYS[1], ARGV[1])
