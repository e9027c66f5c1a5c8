-- A signup's hold on a number is due: if it lapsed (the number is free again, or someone else's now), tell the
-- person and forget the deadline; if it went on to something of theirs (an approval, a payment, the account),
-- only forget it. A hold let go on purpose took its deadline with it, so it is never told as lapsed.
-- KEYS[1] deadlines zset, KEYS[2] bot-reservation-TEL, KEYS[3] catapult_jid-TEL, KEYS[4] the outbox,
-- KEYS[5] the payment hash the reservation named when it was read (any key when it named none)
-- ARGV[1] the member, ARGV[2] holder, ARGV[3] jid, ARGV[4] the reservation as read ('' none), ARGV[5] tel,
-- ARGV[6] the messages (tell-fn.lua)
-- Returns 'gone' (not due any more), 'retry' (changed since the read), 'held', 'moved' or 'lapsed'.
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 'gone' end
local cur = redis.call('GET', KEYS[2]) or ''
if cur ~= ARGV[4] then return 'retry' end
if cur == ARGV[2] then return 'held' end
local mine = cur == 'pending:' .. ARGV[3]
  or redis.call('GET', KEYS[3]) == ARGV[3]
  or (cur:sub(1, 4) == 'pay:' and redis.call('HGET', KEYS[5], 'jid') == ARGV[3])
  -- The same person holds it again, from a new signup.
  or (cur ~= '' and redis.call('ZSCORE', KEYS[1], 'hold|' .. ARGV[5] .. '|' .. cur .. '|' .. ARGV[3]))
redis.call('ZREM', KEYS[1], ARGV[1])
if mine then return 'moved' end
tell(KEYS[4], ARGV[6])
return 'lapsed'
