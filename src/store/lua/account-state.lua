-- Everything accountState() needs, in one round trip.
-- KEYS[1] catapult_cred-JID, KEYS[2] bot-jid_number-JID, KEYS[3] bot-pending-JID, KEYS[4] payment-balance_prepaid-JID,
-- KEYS[5] bot-leaf_main-JID, KEYS[6] payment-leaf_jids_index-JID, KEYS[7] bot-payer_invite-JID,
-- KEYS[8] bot-web_choice-JID, KEYS[9..] plan keys newest first
-- Returns {tel, owner of tel, usage start day, pending json, '1' if a balance key exists, leaf-of json, leaf list N,
-- offer json, web choice json, plan...} with '' for missing values.
local tel = false
if redis.call('TYPE', KEYS[1]).ok == 'list' then tel = redis.call('LINDEX', KEYS[1], 3) end
if not tel then tel = redis.call('GET', KEYS[2]) end
local owner, since = false, false
if tel then
  owner = redis.call('GET', 'catapult_jid-' .. tel)
  since = redis.call('GET', 'usage_start_day-' .. tel)
end
local out = {tel or '', owner or '', since or '', redis.call('GET', KEYS[3]) or '',
  redis.call('EXISTS', KEYS[4]) == 1 and '1' or '', redis.call('GET', KEYS[5]) or '', redis.call('GET', KEYS[6]) or '',
  redis.call('GET', KEYS[7]) or '', redis.call('GET', KEYS[8]) or ''}
for i = 9, #KEYS do out[#out + 1] = redis.call('GET', KEYS[i]) or '' end
return out
