-- Corrects several budget counters of one tenant by the same delta, all together.
-- KEYS: the tenant's budget hash
-- ARGV: delta, counters...
for i = 2, #ARGV do
  redis.call('HINCRBY', KEYS[1], ARGV[i], ARGV[1])
end
return #ARGV - 1
