-- After a step: store the session, forget it, or leave it as it is; and let go of it if this step holds it (a
-- lock taken over by another step, after this one ran past its time, is left to that step).
-- KEYS[1] session, KEYS[2] its lock
-- ARGV[1] 'save' | 'delete' | 'keep', ARGV[2] document, ARGV[3] ttl seconds, ARGV[4] lock token ('' none)
if ARGV[1] == 'save' then redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3]) end
if ARGV[1] == 'delete' then redis.call('DEL', KEYS[1]) end
if ARGV[4] ~= '' and redis.call('GET', KEYS[2]) == ARGV[4] then redis.call('DEL', KEYS[2]) end
return 'ok'
