-- Take a session for one step: refused while another step holds it, so of two requests at once exactly one acts;
-- and, given its arguments, the account state the step reads (account-state-fn.lua), in the same round trip.
-- KEYS[1] session, KEYS[2] its lock, KEYS[3..10] account_state's keys (none: no state read); ARGV[1] lock seconds
-- (a step that dies lets go when they pass), ARGV[2] token, ARGV[3..] account_state's arguments.
-- Returns {'busy'}, {'none', state} or {'ok', document, state} (state: account_state's reply, or {} unasked).
local function state()
  if #KEYS < 3 then return {} end
  local k, a = {}, {}
  for i = 3, #KEYS do k[#k + 1] = KEYS[i] end
  for i = 3, #ARGV do a[#a + 1] = ARGV[i] end
  return account_state(k, a)
end
local doc = redis.call('GET', KEYS[1])
if not doc then return {'none', state()} end
-- Read before the lock is taken: a read that fails leaves no lock behind.
local read = state()
if not redis.call('SET', KEYS[2], ARGV[2], 'NX', 'EX', ARGV[1]) then return {'busy'} end
return {'ok', doc, read}
