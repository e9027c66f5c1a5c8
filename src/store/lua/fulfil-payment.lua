-- A Checkout Session was paid: write plan, balance and the number assignment in one step, once per payment.
-- KEYS[1] event key, KEYS[2] payment hash, KEYS[3] payment done key, KEYS[4] plan this month,
-- KEYS[5] plan next month, KEYS[6] prepaid balance, KEYS[7] the JID's open-payment index,
-- KEYS[8] the PaymentIntent → payment index (refunds and disputes name the PaymentIntent),
-- KEYS[9], KEYS[10] plans two and three months ahead (an upgrade's first month after the trial), KEYS[11] the plan
-- of the month it is now (the months above are those the payment was priced for)
-- ARGV[1] event ttl, ARGV[2] checkout session id, ARGV[3] amount paid (minor units), ARGV[4] today,
-- ARGV[5] first trial plan, ARGV[6] second trial plan, ARGV[7] done ttl, ARGV[8] PaymentIntent id ('' unknown),
-- ARGV[9] plan a top-up renews an expired account on ('' none), ARGV[10] what that renewal costs
-- A signup or renewal writes this month and next (its price is the rest of this month and the next); an upgrade
-- keeps the trial's months and writes the first month after them (its price is that month's).
-- Returns {outcome, jid, purpose, tel, plan, balance, month offset written}; outcome is one of
-- duplicate | unknown | assigned | number-gone | activated | credited | topped-up | renewed
if not redis.call('SET', KEYS[1], ARGV[2], 'NX', 'EX', ARGV[1]) then return {'duplicate'} end
if redis.call('EXISTS', KEYS[2]) == 0 then return {'unknown'} end
if ARGV[8] ~= '' then redis.call('SET', KEYS[8], redis.call('HGET', KEYS[2], 'id'), 'EX', ARGV[7]) end
local p = {}
local raw = redis.call('HGETALL', KEYS[2])
for i = 1, #raw, 2 do p[raw[i]] = raw[i + 1] end
local jid, tel, plan = p.jid, p.tel or '', p.plan or ''
local done = redis.call('GET', KEYS[3])
if done == ARGV[2] then return {'duplicate'} end
local paid = tonumber(ARGV[3])
local function balance() return tostring(redis.call('GET', KEYS[6]) or '0') end
-- What came of it is kept on the payment: the person's message can be made again from it (a retried webhook).
local function result(outcome, rplan, written)
  local b = balance()
  redis.call('HSET', KEYS[2], 'outcome', outcome, 'balance_after', b, 'months_ahead', written or '0', 'result_plan', rplan,
    'result_checkout', ARGV[2])
  return {outcome, jid, p.purpose, tel, rplan, b, written or '0'}
end
local function close()
  -- The link stays until it lapses: it now shows "already paid".
  redis.call('HSET', KEYS[2], 'state', 'paid')
  unindex(KEYS[7], p.id)
  if tel ~= '' and redis.call('GET', 'bot-reservation-' .. tel) == 'pay:' .. p.id then
    redis.call('DEL', 'bot-reservation-' .. tel)
  end
end
-- A second paid session for one payment, or a period already paid: keep the money as balance, extend nothing.
local current = redis.call('GET', KEYS[4])
local nowPlan = redis.call('GET', KEYS[11])
-- Paid already, for the month it was priced for or for the month it is now (another payment landed first).
local periodPaid = (current and current ~= ARGV[5] and current ~= ARGV[6]) or (nowPlan and nowPlan ~= ARGV[5] and nowPlan ~= ARGV[6])
if done or (p.purpose ~= 'top-up' and periodPaid) then
  redis.call('INCRBY', KEYS[6], paid)
  if not done then redis.call('SET', KEYS[3], ARGV[2], 'EX', ARGV[7]) end
  close()
  return result('credited', plan)
end
redis.call('SET', KEYS[3], ARGV[2], 'EX', ARGV[7])
if p.purpose == 'top-up' then
  local now = redis.call('INCRBY', KEYS[6], paid)
  -- An expired account whose balance now covers the activation is renewed from it at once.
  local charge = tonumber(ARGV[10])
  if ARGV[9] ~= '' and not redis.call('GET', KEYS[4]) and now >= charge then
    redis.call('DECRBY', KEYS[6], charge)
    redis.call('SET', KEYS[4], ARGV[9])
    redis.call('SET', KEYS[5], ARGV[9])
    close()
    return result('renewed', ARGV[9], '1')
  end
  close()
  return result('topped-up', plan)
end
local written = 1
if p.purpose == 'upgrade' then
  -- The first month that is not a trial month (the trial's months stay free).
  local months = { KEYS[4], KEYS[5], KEYS[9], KEYS[10] }
  written = -1
  for i = 1, #months do
    local m = redis.call('GET', months[i])
    if m ~= ARGV[5] and m ~= ARGV[6] then
      if not m then
        redis.call('SET', months[i], plan)
        written = i - 1
      end
      break
    end
  end
  if written < 0 then
    -- A month after the trial is already paid: the money is kept as balance.
    redis.call('INCRBY', KEYS[6], paid)
    close()
    return result('credited', plan, '-1')
  end
else
  redis.call('SET', KEYS[4], plan)
  redis.call('SET', KEYS[5], plan)
end
local extra = paid - tonumber(p.price or '0')
if extra > 0 then redis.call('INCRBY', KEYS[6], extra) end
local outcome = 'activated'
if p.purpose == 'signup' then
  local old = redis.call('GET', 'bot-jid_number-' .. jid)
  if old and redis.call('GET', 'catapult_jid-' .. old) == jid then
    outcome = 'activated'
  elseif assign(tel, 'pay:' .. p.id, jid, ARGV[4]) then
    outcome = 'assigned'
  else
    outcome = 'number-gone'
  end
end
close()
return result(outcome, plan, tostring(written))
