-- Give an ended account's number back to the inventory, with its message: only if the number is still the
-- account's (both ways) and it still has no plan this month. The account leaves the index.
-- KEYS[1] catapult_jid-TEL, KEYS[2] bot-jid_number-JID, KEYS[3] plan this month, KEYS[4] available zset,
-- KEYS[5] by-place zset, KEYS[6] numbers info hash, KEYS[7] bot-accounts, KEYS[8] usage_start_day-TEL,
-- KEYS[9] outbox stream, KEYS[10] the rollover's marker for the month it ended with (must say it ended it),
-- KEYS[11] its open-payment index (a renewal under way keeps the number); ARGV[1] jid, ARGV[2] tel, ARGV[3] message
-- Returns 1 when released.
if redis.call('GET', KEYS[1]) ~= ARGV[1] or redis.call('GET', KEYS[2]) ~= ARGV[2] then return 0 end
if redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
local outcome = redis.call('GET', KEYS[10])
if outcome ~= 'ended' and outcome ~= 'trial-ended' then return 0 end
if redis.call('EXISTS', KEYS[11]) == 1 then return 0 end
redis.call('DEL', KEYS[1], KEYS[2], KEYS[8])
redis.call('ZADD', KEYS[4], 0, ARGV[2])
local info = cjson.decode(redis.call('HGET', KEYS[6], ARGV[2]) or '{}')
if info.place then redis.call('ZADD', KEYS[5], 0, info.place) end
redis.call('SREM', KEYS[7], ARGV[1])
redis.call('XADD', KEYS[9], '*', 'to', ARGV[1], 'body', ARGV[3], 'why', 'number-release')
return 1
