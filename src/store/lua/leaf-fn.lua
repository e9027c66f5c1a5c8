-- Shared by the scripts that make a leaf (a payer code redeemed, an offer accepted). L names the keys, all from
-- KEYS: balance (the main's), mainLeafOf (the main's bot-leaf_main), index (the main's payment-leaf_jids_index),
-- list (payment-leaf_jids-N), leafOf (the leaf's bot-leaf_main), mainPlans and leafPlans (this month and the 3
-- after). trial(plan) says whether a plan is a trial month.

-- What making the leaf costs the main now (basis: JSON {prices = plan → leaf price, days, daysInMonth}): the rest
-- of this month pro rata by days, then the full leaf price for every further month the main has paid (the
-- leaf gets those months too). 0 when the main's plan has no price here.
local function leaf_charge(L, trial, basis)
  local plan = redis.call('GET', L.mainPlans[1])
  local price = plan and basis.prices[plan]
  if not price then return 0 end
  local total = math.floor(price * basis.days / basis.daysInMonth + 0.5)
  for i = 2, 4 do
    local p = redis.call('GET', L.mainPlans[i])
    if not p or trial(p) then break end
    total = total + price
  end
  return total
end

-- Whether the main can pay for a leaf on list n now: a balance that covers `charge`, a paid plan this month,
-- nobody's leaf itself, and list n is its own (or not made yet). A list N that is another main's (written by
-- another tool) is never touched.
local function main_can_pay(L, main, n, trial, charge)
  local plan = redis.call('GET', L.mainPlans[1])
  if redis.call('EXISTS', L.balance) == 0 or redis.call('EXISTS', L.mainLeafOf) == 1 or not plan or trial(plan) then
    return false
  end
  if tonumber(redis.call('GET', L.balance) or '0') < charge then return false end
  local idx = redis.call('GET', L.index)
  if idx and idx ~= n then return false end
  local head = redis.call('LINDEX', L.list, 0)
  return not head or head == main
end

-- Make leaf a leaf of main on list n: the main's paid months from this one on, as far as they run without a gap
-- (trial months of the leaf after them are gone), then the seed's list (main first, never a duplicate), its index,
-- and the leaf's reverse index.
local function make_leaf(L, main, leaf, n, leafOf, trial, charge)
  if charge > 0 then redis.call('DECRBY', L.balance, charge) end
  local paying = true
  for i = 1, 4 do
    local p = redis.call('GET', L.mainPlans[i])
    paying = paying and p and not trial(p)
    if paying then
      redis.call('SET', L.leafPlans[i], p)
    elseif trial(redis.call('GET', L.leafPlans[i]) or '') then
      redis.call('DEL', L.leafPlans[i])
    end
  end
  if not redis.call('GET', L.index) then
    if redis.call('EXISTS', L.list) == 0 then redis.call('RPUSH', L.list, main) end
    redis.call('SET', L.index, n)
  end
  if not redis.call('LPOS', L.list, leaf) then redis.call('RPUSH', L.list, leaf) end
  redis.call('SET', L.leafOf, leafOf)
end
