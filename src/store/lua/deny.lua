-- Deny a pending signup: forget the request and free the held number.
-- KEYS[1] pending, KEYS[2] pending set; ARGV[1] jid
local raw = redis.call('GET', KEYS[1])
if not raw then return '' end
local tel = cjson.decode(raw).tel
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
if redis.call('GET', 'bot-reservation-' .. tel) == 'pending:' .. ARGV[1] then
  redis.call('DEL', 'bot-reservation-' .. tel)
end
return tel
