-- A stopping sender leaves the outbox's group, in one step, only if it holds nothing unconfirmed (DELCONSUMER
-- drops what a consumer holds). KEYS[1] the stream; ARGV[1] group, ARGV[2] consumer. Returns 1 when it left.
local held = redis.call('XPENDING', KEYS[1], ARGV[1], '-', '+', 1, ARGV[2])
if #held > 0 then return 0 end
redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], ARGV[2])
return 1
