-- The web site chose a number for a JID (web-register): hold it for that JID (`web:JID`) and remember the choice,
-- letting go of an earlier web choice of another number, and queue the JID's message; all or nothing. What is
-- written does not depend on who the JID is, so nothing the site can see does either.
-- KEYS[1] available zset, KEYS[2] bot-reservation-TEL, KEYS[3] the JID's bot-web_choice, KEYS[4] deadlines zset,
-- KEYS[5] the outbox, KEYS[6] the reservation of the earlier choice's number (KEYS[2] again when none),
-- KEYS[7] the JID's bot-web_resends (messages to it this hour, with resends)
-- ARGV[1] tel, ARGV[2] jid, ARGV[3] hold seconds, ARGV[4] now ms, ARGV[5] the messages (tell-fn.lua),
-- ARGV[6] the hold's deadline member ('' when a lapse should not be told), ARGV[7] the earlier choice as read
-- ('' none), ARGV[8] the earlier choice's deadline member ('' none), ARGV[9] messages per hour to one address
-- Returns 'ok', 'unavailable', 'limited' (that address had its messages for this hour), or 'retry' (the earlier
-- choice changed since it was read).
if (redis.call('GET', KEYS[3]) or '') ~= ARGV[7] then return 'retry' end
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 'unavailable' end
local mine = 'web:' .. ARGV[2]
local cur = redis.call('GET', KEYS[2])
if cur and cur ~= mine then return 'unavailable' end
-- Counted whatever the address is: asking again is not a way round the limit of resends.
local sent = tonumber(redis.call('GET', KEYS[7]) or '0')
if sent >= tonumber(ARGV[9]) then return 'limited' end
if redis.call('INCR', KEYS[7]) == 1 then redis.call('EXPIRE', KEYS[7], 3600) end
if ARGV[7] ~= '' and KEYS[6] ~= KEYS[2] and redis.call('GET', KEYS[6]) == mine then redis.call('DEL', KEYS[6]) end
if ARGV[8] ~= '' then redis.call('ZREM', KEYS[4], ARGV[8]) end
local untilMs = tonumber(ARGV[4]) + tonumber(ARGV[3]) * 1000
redis.call('SET', KEYS[2], mine, 'EX', ARGV[3])
redis.call('SET', KEYS[3], cjson.encode({ tel = ARGV[1], at = tonumber(ARGV[4]), ['until'] = untilMs }), 'EX', ARGV[3])
if ARGV[6] ~= '' then redis.call('ZADD', KEYS[4], untilMs, ARGV[6]) end
tell(KEYS[5], ARGV[5])
return 'ok'
