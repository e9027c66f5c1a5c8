-- Revoke a code, only for its creator. KEYS[1] code hash; ARGV[1] creator
if redis.call('HGET', KEYS[1], 'creator') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'revoked', '1')
return 1
