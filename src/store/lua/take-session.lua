-- Take a session for one step: refused while another step holds it, so of two requests at once exactly one acts;
-- and, given its arguments, the account state the step reads (account-state-fn.lua), in the same round trip. With
-- none to take (a chat message that starts something), whether this person wrote before is asked too.
-- KEYS[1] session, KEYS[2] its lock, KEYS[3] the person's bot-contact key (or the lock again: not asked),
-- KEYS[4..11] account_state's keys (none: no state read); ARGV[1] lock seconds (a step that dies lets go when they
-- pass), ARGV[2] token, ARGV[3] '1' to ask about the contact, ARGV[4..] account_state's arguments.
-- Returns {'busy'}, {'none', state, '1' if this is the person's first message} or {'ok', document, state} (state:
-- account_state's reply, or {} unasked).
local function state()
  if #KEYS < 4 then return {} end
  local k, a = {}, {}
  for i = 4, #KEYS do k[#k + 1] = KEYS[i] end
  for i = 4, #ARGV do a[#a + 1] = ARGV[i] end
  return account_state(k, a)
end
local doc = redis.call('GET', KEYS[1])
if not doc then
  local first = ARGV[3] == '1' and redis.call('SET', KEYS[3], '1', 'NX') and '1' or ''
  return {'none', state(), first}
end
-- Read before the lock is taken: a read that fails leaves no lock behind.
local read = state()
if not redis.call('SET', KEYS[2], ARGV[2], 'NX', 'EX', ARGV[1]) then return {'busy'} end
return {'ok', doc, read}
