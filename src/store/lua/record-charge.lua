-- A refund or a dispute of a payment: recorded on it, once per event, and the admins told.
-- KEYS[1] event key, KEYS[2] payment hash, KEYS[3] the outbox
-- ARGV[1] event ttl, ARGV[2] the messages (tell-fn.lua), ARGV[3..] field, value pairs to set on the payment
-- Returns 'duplicate', 'unknown' or 'recorded'.
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then return 'duplicate' end
if redis.call('EXISTS', KEYS[2]) == 0 then return 'unknown' end
local fields = {}
for i = 3, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('HSET', KEYS[2], unpack(fields))
tell(KEYS[3], ARGV[2])
return 'recorded'
