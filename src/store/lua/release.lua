-- Release a reservation only if this owner still holds it, with its deadline (let go on purpose: nobody is told).
-- KEYS[1] reservation key, KEYS[2] deadlines zset; ARGV[1] owner, ARGV[2] the deadline's member
redis.call('ZREM', KEYS[2], ARGV[2])
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
