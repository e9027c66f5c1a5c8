-- The JID declines a main's offer (only that main's, still open). KEYS[1] its bot-payer_invite, KEYS[2] main's
-- bot-invites_of; ARGV[1] main, ARGV[2] jid. Returns 1 if there was such an offer.
local raw = redis.call('GET', KEYS[1])
if not raw or cjson.decode(raw).main ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[2])
return 1
