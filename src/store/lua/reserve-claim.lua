-- Claim: hold a number for an owner, only if it is in the inventory and nobody else holds it.
-- K[1] available zset, K[2] reservation key; A[1] tel, A[2] owner, A[3] ttl seconds
local function claim(K, A)
  if not redis.call('ZSCORE', K[1], A[1]) then return 'unavailable' end
  local cur = redis.call('GET', K[2])
  if cur and cur ~= A[2] then return 'unavailable' end
  redis.call('SET', K[2], A[2], 'EX', A[3])
  return 'ok'
end
