-- Reserve a number for an owner, atomically: only if it is in the inventory and nobody else holds it.
-- KEYS[1] available zset, KEYS[2] reservation key; ARGV[1] tel, ARGV[2] owner, ARGV[3] ttl seconds
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 'unavailable' end
local cur = redis.call('GET', KEYS[2])
if cur and cur ~= ARGV[2] then return 'unavailable' end
redis.call('SET', KEYS[2], ARGV[2], 'EX', ARGV[3])
return 'ok'
