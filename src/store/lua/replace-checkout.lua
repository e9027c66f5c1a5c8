-- A payment link opened after its Checkout Session expired: record the fresh session, if the payment is
-- still open and (for a signup) the number is still held for it; extend the hold and the link.
-- KEYS[1] payment hash, KEYS[2] token key, KEYS[3] the JID's open-payment index, KEYS[4] the deadlines zset
-- ARGV[1] payment id, ARGV[2] ttl seconds, ARGV[3] the index's JSON, ARGV[4] the payment's deadline member,
-- ARGV[5] when the link and hold now lapse (ms), ARGV[6..] field, value pairs
if redis.call('HGET', KEYS[1], 'state') ~= 'open' then return 'closed' end
local tel = redis.call('HGET', KEYS[1], 'tel')
if tel and tel ~= '' then
  local res = 'bot-reservation-' .. tel
  if redis.call('GET', res) ~= 'pay:' .. ARGV[1] then return 'gone' end
  redis.call('EXPIRE', res, ARGV[2])
end
local fields = {}
for i = 6, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('HSET', KEYS[1], unpack(fields))
redis.call('EXPIRE', KEYS[2], ARGV[2])
redis.call('SET', KEYS[3], ARGV[3], 'EX', ARGV[2])
redis.call('ZADD', KEYS[4], ARGV[5], ARGV[4])
return 'ok'
