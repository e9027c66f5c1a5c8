-- account_state(k, a): everything accountState() needs, in a few commands (MGET), reading only the plan months
-- the state depends on: without a number only this month's (paid or approved, or not); with one, the months ahead
-- and this month, then back while the run of months goes on (a paying account's first paid month), or back to the
-- last plan (when it ended).
-- k[1] catapult_cred-JID, k[2] bot-jid_number-JID, k[3] bot-pending-JID, k[4] payment-balance_prepaid-JID,
-- k[5] bot-leaf_main-JID, k[6] payment-leaf_jids_index-JID, k[7] bot-payer_invite-JID, k[8] bot-web_choice-JID.
-- a[1] the JID, a[2] months ahead, a[3] months back, a[4] this month (YYYYMM, UTC). Read only: the plan keys
-- (payment-plan_as_of_YYYYMM-JID) are named here, as catapult_jid-NUMBER and usage_start_day-NUMBER are.
-- Returns {tel, owner of tel, usage start day, pending json, '1' if a balance key exists, leaf-of json, leaf list N,
-- offer json, web choice json, plan...}: '' for missing values, and the plans up to the last month read.
local function account_state(k, a)
  local jid, ahead, back = a[1], tonumber(a[2]), tonumber(a[3])
  -- The months, newest first, at m[3..]: the months ahead, this month (m[now]), then back.
  local y, mo = tonumber(string.sub(a[4], 1, 4)), tonumber(string.sub(a[4], 5, 6))
  local m, now, last = {}, 3 + ahead, 3 + ahead + back
  for i = 3, last do
    local t = y * 12 + mo - 1 + (now - i)
    m[i] = string.format('%04d%02d', math.floor(t / 12), t % 12 + 1)
  end
  local function planKey(i) return 'payment-plan_as_of_' .. m[i] .. '-' .. jid end
  local tel = false
  if redis.call('TYPE', k[1]).ok == 'list' then tel = redis.call('LINDEX', k[1], 3) end
  -- The balance is a number in a string (GET and INCRBYFLOAT are how everything reads and writes it).
  local own = redis.call('MGET', k[2], k[3], k[5], k[6], k[7], k[8], planKey(now), k[4])
  if not tel then tel = own[1] end
  local out = {tel or '', '', '', own[2] or '', own[8] and '1' or '', own[3] or '', own[4] or '', own[5] or '', own[6] or ''}
  -- The plan of m[i] answers in out[i + 7] (out has nine fields before the plans).
  for i = 3, now - 1 do out[i + 7] = '' end
  local current = own[7] or ''
  out[now + 7] = current
  if not tel then return out end
  local names = {'catapult_jid-' .. tel, 'usage_start_day-' .. tel}
  for i = 3, last do
    if i ~= now then names[#names + 1] = planKey(i) end
  end
  local got = redis.call('MGET', unpack(names))
  out[2], out[3] = got[1] or '', got[2] or ''
  for i = 3, now - 1 do out[i + 7] = got[i] or '' end
  for i = now + 1, last do
    local v = got[i - 1] or ''
    out[i + 7] = v
    -- A run of plans ends at the first month without one; with none this month, the last plan is all it needs.
    if (current ~= '' and v == '') or (current == '' and v ~= '') then break end
  end
  return out
end
