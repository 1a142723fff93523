-- Reserves tokens on several budget counters of one tenant: all of them, or none if any would pass its limit.
-- KEYS: the tenant's budget hash
-- ARGV: tokens, then counter, limit pairs
-- Returns {-1, how many counters were created} when reserved, else {index of the first counter that would pass its
-- limit (0-based), its use}.
local tokens = tonumber(ARGV[1])
local created = 0
for i = 2, #ARGV, 2 do
  local stored = redis.call('HGET', KEYS[1], ARGV[i])
  local used = tonumber(stored or '0')
  if used + tokens > tonumber(ARGV[i + 1]) then
    return {(i - 2) / 2, used}
  end
  if not stored then
    created = created + 1
  end
end
for i = 2, #ARGV, 2 do
  redis.call('HINCRBY', KEYS[1], ARGV[i], ARGV[1])
end
return {-1, created}
