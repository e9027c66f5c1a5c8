-- Everything accountState() needs, in one round trip, reading only the plan months the state depends on: without
-- a number only this month's (paid or approved, or not); with one, the months ahead and this month, then back
-- while the run of months goes on (a paying account's first paid month), or back to the last plan (when it ended).
-- KEYS[1] catapult_cred-JID, KEYS[2] bot-jid_number-JID, KEYS[3] bot-pending-JID, KEYS[4] payment-balance_prepaid-JID,
-- KEYS[5] bot-leaf_main-JID, KEYS[6] payment-leaf_jids_index-JID, KEYS[7] bot-payer_invite-JID,
-- KEYS[8] bot-web_choice-JID, KEYS[9..] plan keys newest first: ARGV[1] months ahead, then this month, then back
-- Returns {tel, owner of tel, usage start day, pending json, '1' if a balance key exists, leaf-of json, leaf list N,
-- offer json, web choice json, plan...} with '' for missing values and for months not read.
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
-- Plan key KEYS[i] answers in out[i + 1] (out has one more field before the plans than KEYS has keys).
local first, now = 9, 9 + tonumber(ARGV[1])
for i = first, #KEYS do out[i + 1] = '' end
local function read(i)
  local v = redis.call('GET', KEYS[i]) or ''
  out[i + 1] = v
  return v
end
local current = read(now)
if tel then
  for i = first, now - 1 do read(i) end
  for i = now + 1, #KEYS do
    local v = read(i)
    -- A run of plans ends at the first month without one; with none this month, the last plan is all it needs.
    if (current ~= '' and v == '') or (current == '' and v ~= '') then break end
  end
end
return out
