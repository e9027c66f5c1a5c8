-- Let go of a lease if this holder still has it (another may have taken it after ours lapsed).
-- KEYS[1] the lease; ARGV[1] the holder. Returns 1 if it was ours.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
