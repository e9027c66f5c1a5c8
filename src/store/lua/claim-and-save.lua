-- A step that rests on a claim: the claim and storing where the step leads, in one script (one round trip). The
-- session is stored only if the claim holds; otherwise nothing changes and the step stays taken (the runtime
-- goes on to the step's other way, and stores that).
-- KEYS: the claim's, then the session, its lock and the person's pointer to it.
-- ARGV: the claim's, then mode, document, ttl, lock token, the pointer's value naming this session.
local nk, na = #KEYS - 3, #ARGV - 5
local K, A = {}, {}
for i = 1, nk do K[i] = KEYS[i] end
for i = 1, na do A[i] = ARGV[i] end
local r = claim(K, A)
if r ~= 'ok' then return r end
save_session(KEYS[nk + 1], KEYS[nk + 2], KEYS[nk + 3], ARGV[na + 1], ARGV[na + 2], ARGV[na + 3], ARGV[na + 4], ARGV[na + 5])
return 'ok'
