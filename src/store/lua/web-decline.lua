-- A person declines the number the web site chose for them: the hold, the choice and its deadline go.
-- KEYS[1] the JID's bot-web_choice, KEYS[2] bot-reservation-TEL, KEYS[3] deadlines zset
-- ARGV[1] jid, ARGV[2] the hold's deadline member
redis.call('DEL', KEYS[1])
if redis.call('GET', KEYS[2]) == 'web:' .. ARGV[1] then redis.call('DEL', KEYS[2]) end
redis.call('ZREM', KEYS[3], ARGV[2])
return 1
