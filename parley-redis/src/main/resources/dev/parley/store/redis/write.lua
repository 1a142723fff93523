-- One atomic write to one session. Every key shares the session's hash tag, so this runs on one slot.
-- KEYS: info, br, e, par, cp, cpo, cpe, vp, vl, vo, idem, idemz, cnt (the order of SessionKeys.all()).
-- ARGV: mode, uid, expected, idemKey, idemExpected, idemNew, idemScore, idemCutoff, ttl, then counted sections.
--   mode 'update': the session must still have this uid and be at version `expected`, or the caller re-plans.
--   mode 'create': the session must not exist, unless it is the (expired) incarnation `expected`, which is replaced.
-- Every check runs before the first change: a script is not rolled back when it stops half-way.
local info, br, e, par, cp, cpo, cpe, vp, vl, vo, idem, idemz, cnt = unpack(KEYS)
local a = 0
local function arg()
  a = a + 1
  return ARGV[a]
end
local mode, uid, expected = arg(), arg(), arg()
local idemKey, idemExpected, idemNew, idemScore, idemCutoff = arg(), arg(), arg(), arg(), arg()
local ttl = tonumber(arg())

local current = redis.call('HGET', info, 'uid')
if mode == 'create' then
  if current and current ~= expected then
    return 'EXISTS'
  end
elseif current ~= uid or redis.call('HGET', info, 'version') ~= expected then
  return 'RETRY'
end
-- A claim or release of the key since the plan was made changes what the plan must be.
if idemKey ~= '' and (redis.call('HGET', idem, idemKey) or '') ~= idemExpected then
  return 'RETRY'
end

local function section(width)
  local items = {}
  for i = 1, tonumber(arg()) do
    local item = {}
    for j = 1, width do
      item[j] = arg()
    end
    items[i] = item
  end
  return items
end
local fields = section(2)          -- info field, value ('' removes the field)
local entries = section(3)         -- seq, entry json, parent seq ('' for a root)
local branches = section(2)        -- name, head seq ('' for an empty branch)
local deletedBranches = section(1) -- name
local deletedCheckpoints = section(2) -- name, entry seq
local checkpoints = section(3)     -- name, checkpoint json, entry seq
local vault = section(3)           -- placeholder, lookup, row json
local counters = section(2)        -- name, delta

-- Placeholders and values are unique in the session: re-checked here, so two writers can never both issue one.
local replacing = mode == 'create' and current
local seenPlaceholders, seenLookups = {}, {}
for _, row in ipairs(vault) do
  if seenPlaceholders[row[1]] or seenLookups[row[2]] then
    return 'VAULT'
  end
  seenPlaceholders[row[1]], seenLookups[row[2]] = true, true
  if not replacing and (redis.call('HEXISTS', vp, row[1]) == 1 or redis.call('HEXISTS', vl, row[2]) == 1) then
    return 'VAULT'
  end
end

if replacing then
  redis.call('DEL', unpack(KEYS))
end
for _, f in ipairs(fields) do
  if f[2] == '' then
    redis.call('HDEL', info, f[1])
  else
    redis.call('HSET', info, f[1], f[2])
  end
end
for _, entry in ipairs(entries) do
  redis.call('HSET', e, entry[1], entry[2])
  if entry[3] ~= '' then
    redis.call('HSET', par, entry[1], entry[3])
  end
end
for _, b in ipairs(branches) do
  redis.call('HSET', br, b[1], b[2])
end
for _, b in ipairs(deletedBranches) do
  redis.call('HDEL', br, b[1])
end
for _, c in ipairs(deletedCheckpoints) do
  if redis.call('HDEL', cp, c[1]) == 1 then
    redis.call('ZREM', cpo, c[1])
    if redis.call('HINCRBY', cpe, c[2], -1) <= 0 then
      redis.call('HDEL', cpe, c[2])
    end
  end
end
for _, c in ipairs(checkpoints) do
  redis.call('HSET', cp, c[1], c[2])
  redis.call('ZADD', cpo, redis.call('HINCRBY', info, 'checkpointOrdinal', 1), c[1])
  redis.call('HINCRBY', cpe, c[3], 1)
end
for _, row in ipairs(vault) do
  redis.call('HSET', vp, row[1], row[3])
  redis.call('HSET', vl, row[2], row[1])
  redis.call('RPUSH', vo, row[1])
end
for _, c in ipairs(counters) do
  redis.call('HINCRBY', cnt, c[1], c[2])
end
if idemCutoff ~= '' then
  -- Redis 7.0 has no per-field expiry: records older than the retention leave through their sorted set.
  for _, old in ipairs(redis.call('ZRANGEBYSCORE', idemz, '-inf', '(' .. idemCutoff)) do
    redis.call('HDEL', idem, old)
  end
  redis.call('ZREMRANGEBYSCORE', idemz, '-inf', '(' .. idemCutoff)
end
if idemKey ~= '' and idemNew ~= '' then
  redis.call('HSET', idem, idemKey, idemNew)
  redis.call('ZADD', idemz, idemScore, idemKey)
end

for i = 1, #KEYS do
  if ttl > 0 then
    redis.call('PEXPIRE', KEYS[i], ttl)
  else
    redis.call('PERSIST', KEYS[i])
  end
end
return 'OK'
