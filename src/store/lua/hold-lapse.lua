-- A signup's hold on a number is due and was not made again: the person is told it lapsed (in the same script as
-- forgetting the deadline). A hold let go on purpose, or handed on to an approval, a payment or the account, took
-- its deadline with it; this is what is left: a hold nobody went on with.
-- KEYS[1] deadlines zset, KEYS[2] bot-reservation-TEL, KEYS[3] catapult_jid-TEL, KEYS[4] the outbox,
-- KEYS[5] the person's bot-pending, KEYS[6] their bot-jid_number
-- ARGV[1] the member, ARGV[2] holder, ARGV[3] jid, ARGV[4] the reservation as read ('' none), ARGV[5] tel,
-- ARGV[6] the messages (tell-fn.lua)
-- Returns 'gone' (not due any more), 'retry' (changed since the read), 'held', 'moved' or 'lapsed'.
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 'gone' end
local cur = redis.call('GET', KEYS[2]) or ''
if cur ~= ARGV[4] then return 'retry' end
if cur == ARGV[2] then return 'held' end
redis.call('ZREM', KEYS[1], ARGV[1])
-- The number is theirs (whatever way it got there), or they hold it again from a new signup: nothing lapsed.
if redis.call('GET', KEYS[3]) == ARGV[3]
  or (cur ~= '' and redis.call('ZSCORE', KEYS[1], 'hold|' .. ARGV[5] .. '|' .. cur .. '|' .. ARGV[3])) then
  return 'moved'
end
-- The web site's number for someone who signed up with another one meanwhile (waiting for approval, or
-- registered): nothing of theirs lapsed.
if ARGV[2]:sub(1, 4) == 'web:' and (redis.call('EXISTS', KEYS[5]) == 1 or redis.call('EXISTS', KEYS[6]) == 1) then
  return 'moved'
end
tell(KEYS[4], ARGV[6])
return 'lapsed'
