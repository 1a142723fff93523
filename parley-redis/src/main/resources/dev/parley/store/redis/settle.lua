-- Corrects several budget counters of one tenant by the same delta, all together.
-- KEYS: the tenant's budget hash
-- ARGV: delta, counters...
-- Returns how many of the counters did not exist before.
local created = 0
for i = 2, #ARGV do
  created = created + 1 - redis.call('HEXISTS', KEYS[1], ARGV[i])
  redis.call('HINCRBY', KEYS[1], ARGV[i], ARGV[1])
end
return created
