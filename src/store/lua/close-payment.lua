-- A Checkout Session expired or its payment failed: close the payment and free the number it held,
-- unless it was paid already or a fresher session replaced this one.
-- KEYS[1] event key, KEYS[2] payment hash, KEYS[3] payment done key, KEYS[4] the JID's open-payment index,
-- KEYS[5] the outbox, KEYS[6] the deadlines zset
-- ARGV[1] event ttl, ARGV[2] checkout session id, ARGV[3] the messages that say it closed (tell-fn.lua),
-- ARGV[4] the payment's deadline member
-- Returns duplicate | unknown | paid | stale | closed
if not redis.call('SET', KEYS[1], ARGV[2], 'NX', 'EX', ARGV[1]) then return 'duplicate' end
if redis.call('EXISTS', KEYS[2]) == 0 then return 'unknown' end
if redis.call('EXISTS', KEYS[3]) == 1 then return 'paid' end
local p = {}
local raw = redis.call('HGETALL', KEYS[2])
for i = 1, #raw, 2 do p[raw[i]] = raw[i + 1] end
if p.state ~= 'open' and p.state ~= 'processing' then return 'duplicate' end
if p.checkout_id ~= ARGV[2] then return 'stale' end
redis.call('HSET', KEYS[2], 'state', 'closed')
unindex(KEYS[4], p.id)
if p.token then redis.call('DEL', 'bot-pay_token-' .. p.token) end
local tel = p.tel or ''
if tel ~= '' and redis.call('GET', 'bot-reservation-' .. tel) == 'pay:' .. p.id then
  redis.call('DEL', 'bot-reservation-' .. tel)
end
tell(KEYS[5], ARGV[3])
redis.call('ZREM', KEYS[6], ARGV[4])
return 'closed'
