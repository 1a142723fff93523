-- Deletes every key of one incarnation of a session; another incarnation (re-created meanwhile) is left alone.
-- KEYS: all keys of the session (SessionKeys.all())
-- ARGV: uid
-- Returns 1 when deleted, 0 when the session is gone or is another incarnation.
if redis.call('HGET', KEYS[1], 'uid') ~= ARGV[1] then
  return 0
end
redis.call('DEL', unpack(KEYS))
return 1
