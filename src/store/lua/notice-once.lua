-- Queue a notice once: its marker (per account, kind, stage and month) and the message go together.
-- KEYS[1] marker, KEYS[2] outbox stream; ARGV[1] to, ARGV[2] body, ARGV[3] why, ARGV[4] marker ttl seconds.
-- Returns 1 when queued now, 0 when it was already.
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[4]) then return 0 end
redis.call('XADD', KEYS[2], '*', 'to', ARGV[1], 'body', ARGV[2], 'why', ARGV[3])
return 1
