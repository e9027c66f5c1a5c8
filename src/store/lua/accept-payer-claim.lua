-- Claim: a trial account accepts a main's offer to pay for it. Its trial ends: from this month it has the main's
-- paid plan for every month the main has paid, and its later trial months are gone; it joins the seed's list.
-- K[1] the JID's bot-payer_invite, K[2] its bot-leaf_main, K[3] main's balance, K[4] main's bot-leaf_main,
-- K[5] main's payment-leaf_jids_index, K[6] payment-leaf_jids-N, K[7] main's bot-invites_of,
-- K[8..11] main's plans this month and the 3 after, K[12..15] the JID's plans for the same months
-- A[1] jid, A[2] main, A[3] list N, A[4] first trial month plan, A[5] second trial month plan, A[6] leaf-of json
local function claim(K, A)
  local raw = redis.call('GET', K[1])
  if not raw then return 'unavailable' end
  local offer = cjson.decode(raw)
  if offer.main ~= A[2] or offer.list ~= A[3] then return 'unavailable' end
  local trial = function(p) return p == A[4] or p == A[5] end
  local mine = redis.call('GET', K[12])
  if not mine or not trial(mine) or redis.call('EXISTS', K[2]) == 1 then return 'unavailable' end
  local plan = redis.call('GET', K[8])
  if redis.call('EXISTS', K[3]) == 0 or redis.call('EXISTS', K[4]) == 1 or not plan or trial(plan) then return 'payer-cannot' end
  local idx = redis.call('GET', K[5])
  if idx and idx ~= A[3] then return 'payer-cannot' end
  -- A list N that is not this main's (written by another tool) is never touched.
  local head = redis.call('LINDEX', K[6], 0)
  if head and head ~= A[2] then return 'payer-cannot' end
  -- The main's paid months from this one on, as far as they run without a gap; the trial months after are gone.
  local paying = true
  for i = 0, 3 do
    local p = redis.call('GET', K[8 + i])
    paying = paying and p and not trial(p)
    if paying then
      redis.call('SET', K[12 + i], p)
    elseif trial(redis.call('GET', K[12 + i]) or '') then
      redis.call('DEL', K[12 + i])
    end
  end
  if not idx then
    if redis.call('EXISTS', K[6]) == 0 then redis.call('RPUSH', K[6], A[2]) end
    redis.call('SET', K[5], A[3])
  end
  if not redis.call('LPOS', K[6], A[1]) then redis.call('RPUSH', K[6], A[1]) end
  redis.call('SET', K[2], A[6])
  redis.call('DEL', K[1])
  redis.call('ZREM', K[7], A[1])
  return 'ok'
end
