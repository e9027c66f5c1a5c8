-- Deny a pending signup: forget the request and free the held number; with a message, queue it (the outbox) in the
-- same step, if the signup is still for the number the admin saw.
-- KEYS[1] pending, KEYS[2] pending set, KEYS[3] outbox stream; ARGV[1] jid, ARGV[2] that number ('' no message),
-- ARGV[3] the message
local raw = redis.call('GET', KEYS[1])
if not raw then return '' end
local tel = cjson.decode(raw).tel
if ARGV[2] ~= '' and ARGV[2] ~= tel then return '' end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
if redis.call('GET', 'bot-reservation-' .. tel) == 'pending:' .. ARGV[1] then
  redis.call('DEL', 'bot-reservation-' .. tel)
end
if ARGV[2] ~= '' then redis.call('XADD', KEYS[3], '*', 'to', ARGV[1], 'body', ARGV[3], 'why', 'denial') end
return tel
