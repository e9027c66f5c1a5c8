-- Release a reservation only if this owner still holds it.
-- KEYS[1] reservation key; ARGV[1] owner
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
