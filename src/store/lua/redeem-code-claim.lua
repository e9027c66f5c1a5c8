-- Claim: sign up with a code. The held number is assigned, the code loses one use and names the new account, and:
-- a payer code makes it a leaf of the code's creator (the seed's payment-leaf_jids-N list, its index, the leaf's
-- reverse index, and the main's paid plan for each month the main has paid from this one); an invite or admin code
-- gives the two trial months without approval (an invite also remembers who invited, for the invite credit).
-- K[1] code hash, K[2] code used-by list, K[3] available zset, K[4] catapult_jid-TEL, K[5] bot-reservation-TEL,
-- K[6] numbers info, K[7] by-place zset, K[8] bot-jid_number-JID, K[9] usage_start_day-TEL, K[10] bot-leaf_main-JID,
-- K[11] bot-invited_by-JID, K[12] main's balance, K[13] main's bot-leaf_main (a leaf pays for nobody),
-- K[14] main's payment-leaf_jids_index, K[15] payment-leaf_jids-N, K[16..19] main's plans this month and the 3
-- after, K[20..23] the new account's plans for the same months, K[24] the accounts index (bot-accounts),
-- K[25] the deadlines zset
-- A[1] code, A[2] jid, A[3] tel, A[4] holder, A[5] kind, A[6] main ('' unless payer), A[7] list N, A[8] today,
-- A[9] now ms, A[10] first trial month plan, A[11] second trial month plan, A[12] leaf-of json, A[13] what a leaf
-- costs (JSON, see leaf_charge; payer codes), A[14] the session hold's deadline (the number is theirs now)
local function claim(K, A)
  local c = {}
  local flat = redis.call('HGETALL', K[1])
  for i = 1, #flat, 2 do c[flat[i]] = flat[i + 1] end
  if c.kind ~= A[5] or c.revoked == '1' or tonumber(c.uses or '0') == 0 then return 'unavailable' end
  if tonumber(c.expires or '0') > 0 and tonumber(c.expires) <= tonumber(A[9]) then return 'unavailable' end
  if redis.call('EXISTS', K[10]) == 1 then return 'unavailable' end
  local trial = function(p) return p == A[10] or p == A[11] end
  local L = { balance = K[12], mainLeafOf = K[13], index = K[14], list = K[15], leafOf = K[10],
    mainPlans = { K[16], K[17], K[18], K[19] }, leafPlans = { K[20], K[21], K[22], K[23] } }
  local charge = 0
  if A[5] == 'payer' then
    if c.creator ~= A[6] or c.list ~= A[7] then return 'unavailable' end
    charge = leaf_charge(L, trial, cjson.decode(A[13]))
    if not main_can_pay(L, A[6], A[7], trial, charge) then return 'payer-cannot' end
  end
  if redis.call('EXISTS', K[8]) == 1 then return 'unavailable' end
  local keys = { available = K[3], catapult = K[4], reservation = K[5], info = K[6], byPlace = K[7], jidNumber = K[8],
    usageStart = K[9], accounts = K[24] }
  if not assign_keys(keys, A[3], A[4], A[2], A[8]) then return 'number-gone' end
  if A[5] == 'payer' then
    make_leaf(L, A[6], A[2], A[7], A[12], trial, charge)
  else
    redis.call('SET', K[20], A[10])
    redis.call('SET', K[21], A[11])
    if A[5] == 'invite' then redis.call('SET', K[11], c.creator) end
  end
  if tonumber(c.uses) > 0 then redis.call('HINCRBY', K[1], 'uses', -1) end
  redis.call('RPUSH', K[2], A[2])
  redis.call('ZREM', K[25], A[14])
  return 'ok'
end
