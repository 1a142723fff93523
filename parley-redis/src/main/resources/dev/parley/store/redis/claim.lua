-- Claims an idempotency key before a slow step, or returns the record already there.
-- KEYS: info, idem, idemz
-- ARGV: uid, key, pending record json, score (ms), cutoff (ms; older records count as gone)
-- Returns {'gone'} when the session is gone, {'held', record} when the key is taken, {'claimed'} otherwise.
if redis.call('HGET', KEYS[1], 'uid') ~= ARGV[1] then
  return {'gone'}
end
local record = redis.call('HGET', KEYS[2], ARGV[2])
local score = redis.call('ZSCORE', KEYS[3], ARGV[2])
if record and score and tonumber(score) >= tonumber(ARGV[5]) then
  return {'held', record}
end
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
redis.call('ZADD', KEYS[3], ARGV[4], ARGV[2])
local ttl = redis.call('PTTL', KEYS[1])
if ttl > 0 then
  redis.call('PEXPIRE', KEYS[2], ttl)
  redis.call('PEXPIRE', KEYS[3], ttl)
end
return {'claimed'}
