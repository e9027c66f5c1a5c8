-- Take up to COUNT deadlines that are due: each is moved RETRY ms ahead as it is taken, so one process takes it,
-- and a process that dies before it is done leaves it to be taken again then.
-- KEYS[1] the deadlines zset; ARGV[1] now ms, ARGV[2] count, ARGV[3] retry ms
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[2])
local later = tonumber(ARGV[1]) + tonumber(ARGV[3])
for _, m in ipairs(due) do redis.call('ZADD', KEYS[1], 'XX', later, m) end
return due
