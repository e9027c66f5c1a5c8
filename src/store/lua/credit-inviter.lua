-- A friend who signed up with an invite code paid for the first time: the inviter's balance gets the credit, once
-- per friend (the invited-by key goes with it), and the inviter is told. The message names the new balance, so it
-- was written for the balance read before: 'stale' if that changed meanwhile (read again and retry).
-- KEYS[1] the friend's bot-invited_by, KEYS[2] the inviter's payment-balance_prepaid, KEYS[3] the outbox
-- ARGV[1] inviter, ARGV[2] amount, ARGV[3] the balance the message was written for ('' none), ARGV[4] the messages
-- Returns the inviter's new balance, false when there was nothing (left) to credit, or 'stale'.
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return false end
if (redis.call('GET', KEYS[2]) or '') ~= ARGV[3] then return 'stale' end
redis.call('DEL', KEYS[1])
local balance = redis.call('INCRBY', KEYS[2], ARGV[2])
tell(KEYS[3], ARGV[4])
return balance
