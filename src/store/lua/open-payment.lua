-- Open a card payment: save it, its link token, and (for a signup) turn the session's hold on the number
-- into a hold by the payment that lasts as long as the Checkout Session.
-- The JID's open-payment index points at it, so the person can be given the link again.
-- KEYS[1] payment hash, KEYS[2] token key, KEYS[3] reservation key ('' when no number is involved),
-- KEYS[4] the JID's open-payment index, KEYS[5] the deadlines zset
-- ARGV[1] payment id, ARGV[2] session owner, ARGV[3] hold/link ttl seconds, ARGV[4] payment ttl seconds,
-- ARGV[5] tel ('' for none), ARGV[6] the index's JSON, ARGV[7] the payment's deadline member, ARGV[8] when the
-- link and hold lapse (ms), ARGV[9] the deadline of the session's hold that this payment takes on ('' none),
-- ARGV[10..] field, value pairs of the payment hash
if ARGV[5] ~= '' then
  if not redis.call('ZSCORE', 'bot-numbers_available', ARGV[5]) then return 'unavailable' end
  local cur = redis.call('GET', KEYS[3])
  local mine = 'pay:' .. ARGV[1]
  if cur and cur ~= ARGV[2] and cur ~= mine then return 'unavailable' end
  redis.call('SET', KEYS[3], mine, 'EX', ARGV[3])
  -- The hold went on to this payment: its lapse is the payment's deadline now, not the session's.
  if ARGV[9] ~= '' then redis.call('ZREM', KEYS[5], ARGV[9]) end
end
redis.call('DEL', KEYS[1])
local fields = {}
for i = 10, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('HSET', KEYS[1], unpack(fields))
redis.call('EXPIRE', KEYS[1], ARGV[4])
redis.call('SET', KEYS[2], ARGV[1], 'EX', ARGV[3])
redis.call('SET', KEYS[4], ARGV[6], 'EX', ARGV[3])
-- If no Stripe event closes it by then, the deadline does (and tells the person).
redis.call('ZADD', KEYS[5], ARGV[8], ARGV[7])
return 'ok'
