-- Approve a pending signup: write the trial plan for this month and next, then assign the held number, and queue
-- the person's message (the outbox) in the same step.
-- KEYS[1] pending, KEYS[2] pending set, KEYS[3] plan this month, KEYS[4] plan next month, KEYS[5] outbox stream
-- ARGV[1] jid, ARGV[2] first trial month plan, ARGV[3] second trial month plan, ARGV[4] today (YYYY-MM-DD),
-- ARGV[5] the number the admin saw ('' none: no message), ARGV[6] the message if assigned, ARGV[7] if gone
local raw = redis.call('GET', KEYS[1])
if not raw then return {'not-pending', ''} end
local tel = cjson.decode(raw).tel
if ARGV[5] ~= '' and ARGV[5] ~= tel then return {'changed', tel} end
local function tell(text)
  if ARGV[5] ~= '' then redis.call('XADD', KEYS[5], '*', 'to', ARGV[1], 'body', text, 'why', 'approval') end
end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('SET', KEYS[3], ARGV[2])
redis.call('SET', KEYS[4], ARGV[3])
if assign(tel, 'pending:' .. ARGV[1], ARGV[1], ARGV[4]) then
  tell(ARGV[6])
  return {'assigned', tel}
end
if redis.call('GET', 'bot-reservation-' .. tel) == 'pending:' .. ARGV[1] then
  redis.call('DEL', 'bot-reservation-' .. tel)
end
tell(ARGV[7])
return {'number-gone', tel}
