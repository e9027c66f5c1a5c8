-- Take a session for one step: refused while another step holds it, so of two requests at once exactly one acts.
-- KEYS[1] session, KEYS[2] its lock; ARGV[1] lock seconds (a step that dies lets go when they pass), ARGV[2] token
-- Returns {'busy'}, {'none'} or {'ok', document}.
if redis.call('EXISTS', KEYS[2]) == 1 then return {'busy'} end
local doc = redis.call('GET', KEYS[1])
if not doc then return {'none'} end
redis.call('SET', KEYS[2], ARGV[2], 'EX', ARGV[1])
return {'ok', doc}
