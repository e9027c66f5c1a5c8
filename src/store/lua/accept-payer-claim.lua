-- Claim: a trial account accepts a main's offer to pay for it. Its trial ends: from this month it has the main's
-- paid plan for every month the main has paid, and its later trial months are gone; it joins the seed's list.
-- K[1] the JID's bot-payer_invite, K[2] its bot-leaf_main, K[3] main's balance, K[4] main's bot-leaf_main,
-- K[5] main's payment-leaf_jids_index, K[6] payment-leaf_jids-N, K[7] main's bot-invites_of,
-- K[8..11] main's plans this month and the 3 after, K[12..15] the JID's plans for the same months, K[16] the outbox
-- A[1] jid, A[2] main, A[3] list N, A[4] first trial month plan, A[5] second trial month plan, A[6] leaf-of json,
-- A[7] what a leaf costs (JSON, see leaf_charge), A[8] the messages (tell-fn.lua: the main is told)
local function claim(K, A)
  local raw = redis.call('GET', K[1])
  if not raw then return 'unavailable' end
  local offer = cjson.decode(raw)
  if offer.main ~= A[2] or offer.list ~= A[3] then return 'unavailable' end
  local trial = function(p) return p == A[4] or p == A[5] end
  local mine = redis.call('GET', K[12])
  if not mine or not trial(mine) or redis.call('EXISTS', K[2]) == 1 then return 'unavailable' end
  local L = { balance = K[3], mainLeafOf = K[4], index = K[5], list = K[6], leafOf = K[2],
    mainPlans = { K[8], K[9], K[10], K[11] }, leafPlans = { K[12], K[13], K[14], K[15] } }
  local charge = leaf_charge(L, trial, cjson.decode(A[7]))
  if not main_can_pay(L, A[2], A[3], trial, charge) then return 'payer-cannot' end
  make_leaf(L, A[2], A[1], A[3], A[6], trial, charge)
  redis.call('DEL', K[1])
  redis.call('ZREM', K[7], A[1])
  tell(K[16], A[8])
  return 'ok'
end
