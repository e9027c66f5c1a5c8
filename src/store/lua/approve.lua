-- Approve a pending signup: write the trial plan for this month and next, then assign the held number.
-- KEYS[1] pending, KEYS[2] pending set, KEYS[3] plan this month, KEYS[4] plan next month
-- ARGV[1] jid, ARGV[2] first trial month plan, ARGV[3] second trial month plan, ARGV[4] today (YYYY-MM-DD)
local raw = redis.call('GET', KEYS[1])
if not raw then return {'not-pending', ''} end
local tel = cjson.decode(raw).tel
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('SET', KEYS[3], ARGV[2])
redis.call('SET', KEYS[4], ARGV[3])
if assign(tel, 'pending:' .. ARGV[1], ARGV[1], ARGV[4]) then return {'assigned', tel} end
if redis.call('GET', 'bot-reservation-' .. tel) == 'pending:' .. ARGV[1] then
  redis.call('DEL', 'bot-reservation-' .. tel)
end
return {'number-gone', tel}
