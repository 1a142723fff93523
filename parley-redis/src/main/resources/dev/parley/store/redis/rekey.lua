-- Replaces a user's wrapped key only if it is still the expected one (a compare-and-set): an erased key stays erased.
-- KEYS: the tenant's user-key hash
-- ARGV: user, expected wrapped key, new wrapped key
-- Returns 1 when replaced, 0 when the stored key differs or is gone.
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then
  return 0
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return 1
