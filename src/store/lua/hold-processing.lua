-- A Checkout Session completed but its payment is still processing (a delayed method): keep the payment's link
-- and number held until Stripe settles it, once per event.
-- KEYS[1] event key, KEYS[2] payment hash, KEYS[3] token key, KEYS[4] open-payment index, KEYS[5] reservation,
-- KEYS[6] the outbox
-- ARGV[1] event ttl, ARGV[2] checkout session id, ARGV[3] hold seconds, ARGV[4] the messages (tell-fn.lua)
-- Returns 'duplicate', 'unknown' (no open payment for that session) or 'held'.
if not redis.call('SET', KEYS[1], ARGV[2], 'NX', 'EX', ARGV[1]) then return 'duplicate' end
if redis.call('HGET', KEYS[2], 'state') ~= 'open' then return 'unknown' end
if redis.call('HGET', KEYS[2], 'checkout_id') ~= ARGV[2] then return 'unknown' end
-- Processing: no new Checkout Session is made for it (that could be paid twice), and it can still fail.
redis.call('HSET', KEYS[2], 'state', 'processing')
redis.call('EXPIRE', KEYS[3], ARGV[3])
-- Nothing is left to pay: the person is no longer offered its link (status, signup).
redis.call('DEL', KEYS[4])
local id = redis.call('HGET', KEYS[2], 'id')
if redis.call('GET', KEYS[5]) == 'pay:' .. id then redis.call('EXPIRE', KEYS[5], ARGV[3]) end
tell(KEYS[6], ARGV[4])
return 'held'
