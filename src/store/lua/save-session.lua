-- After a step. KEYS[1] session, KEYS[2] its lock, KEYS[3] the person's pointer to it
-- ARGV[1] 'save' | 'delete' | 'keep', ARGV[2] document, ARGV[3] ttl seconds, ARGV[4] lock token ('' none),
-- ARGV[5] the pointer's value naming this session ('' none)
save_session(KEYS[1], KEYS[2], KEYS[3], ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5])
return 'ok'
