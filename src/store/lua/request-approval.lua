-- A trial signup waits for an admin: the session's reservation becomes a lasting hold `pending:JID`.
-- KEYS[1] reservation, KEYS[2] pending, KEYS[3] pending set
-- ARGV[1] tel, ARGV[2] session owner, ARGV[3] jid, ARGV[4] pending json, ARGV[5] now ms
if redis.call('EXISTS', KEYS[2]) == 1 then return 'already-pending' end
if not redis.call('ZSCORE', 'bot-numbers_available', ARGV[1]) then return 'unavailable' end
local cur = redis.call('GET', KEYS[1])
if cur and cur ~= ARGV[2] then return 'unavailable' end
redis.call('SET', KEYS[1], 'pending:' .. ARGV[3])
redis.call('SET', KEYS[2], ARGV[4])
redis.call('ZADD', KEYS[3], ARGV[5], ARGV[3])
return 'ok'
