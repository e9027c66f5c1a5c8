-- Take a lease if nobody holds it, or extend it if this holder does. KEYS[1] the lease; ARGV[1] holder, ARGV[2] ms.
-- Returns 1 when this holder has it now.
local cur = redis.call('GET', KEYS[1])
if cur and cur ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
