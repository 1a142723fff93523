-- A page of a tenant's user keys in user id order, read with the ids in one atomic step.
-- KEYS: the tenant's user-key hash, the tenant's sorted set of user ids with a key (same slot)
-- ARGV: the user id the page starts after ('' for the first page), how many to return
-- Returns {user, key, user, key, ...}. Keys stored before the ids were kept beside them are indexed first.
if redis.call('ZCARD', KEYS[2]) ~= redis.call('HLEN', KEYS[1]) then
  redis.call('DEL', KEYS[2])
  local users = redis.call('HKEYS', KEYS[1])
  for i = 1, #users, 500 do
    local args = {}
    for j = i, math.min(i + 499, #users) do
      args[#args + 1] = 0
      args[#args + 1] = users[j]
    end
    redis.call('ZADD', KEYS[2], unpack(args))
  end
end
local from = '-'
if ARGV[1] ~= '' then
  from = '(' .. ARGV[1]
end
local users = redis.call('ZRANGEBYLEX', KEYS[2], from, '+', 'LIMIT', 0, tonumber(ARGV[2]))
local page = {}
if #users > 0 then
  local keys = redis.call('HMGET', KEYS[1], unpack(users))
  for i = 1, #users do
    page[#page + 1] = users[i]
    page[#page + 1] = keys[i]
  end
end
return page
