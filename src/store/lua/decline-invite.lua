-- The JID declines a main's offer (only that main's, still open). The main is not told and its list of waiting
-- offers keeps the entry until it ages out: only a trial account can decline, so either would tell the main what
-- that address is. KEYS[1] the JID's bot-payer_invite; ARGV[1] main. Returns 1 if there was such an offer.
local raw = redis.call('GET', KEYS[1])
if not raw or cjson.decode(raw).main ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
return 1
