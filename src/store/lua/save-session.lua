-- After a step. KEYS[1] session, KEYS[2] its lock
-- ARGV[1] 'save' | 'delete' | 'keep', ARGV[2] document, ARGV[3] ttl seconds, ARGV[4] lock token ('' none)
save_session(KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV[3], ARGV[4])
return 'ok'
