-- A friend who signed up with an invite code paid for the first time: the inviter's balance gets the credit, once
-- per friend (the invited-by key goes with it).
-- KEYS[1] the friend's bot-invited_by, KEYS[2] the inviter's payment-balance_prepaid; ARGV[1] inviter, ARGV[2] amount
-- Returns the inviter's new balance, or false when there was nothing (left) to credit.
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return false end
redis.call('DEL', KEYS[1])
return redis.call('INCRBY', KEYS[2], ARGV[2])
