-- The web site asks for the JID's message again: counted against WEB_REGISTER_MESSAGES_PER_HOUR (with the first
-- messages of web-register) whatever the JID is, and queued only when a web choice still waits for it.
-- KEYS[1] the JID's bot-web_choice, KEYS[2] its bot-web_resends, KEYS[3] the outbox
-- ARGV[1] resends per hour, ARGV[2] the messages (tell-fn.lua), ARGV[3] the choice as read ('' none)
-- Returns 'sent', 'none', 'limited' or 'retry'.
if (redis.call('GET', KEYS[1]) or '') ~= ARGV[3] then return 'retry' end
if tonumber(redis.call('GET', KEYS[2]) or '0') >= tonumber(ARGV[1]) then return 'limited' end
if redis.call('INCR', KEYS[2]) == 1 then redis.call('EXPIRE', KEYS[2], 3600) end
if ARGV[3] == '' then return 'none' end
tell(KEYS[3], ARGV[2])
return 'sent'
