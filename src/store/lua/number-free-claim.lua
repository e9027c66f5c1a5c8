-- Claim (a check, no write): the number is in the inventory and nobody but this owner holds it.
-- K[1] available zset, K[2] reservation key; A[1] tel, A[2] owner
local function claim(K, A)
  if not redis.call('ZSCORE', K[1], A[1]) then return 'unavailable' end
  local cur = redis.call('GET', K[2])
  if cur and cur ~= A[2] then return 'unavailable' end
  return 'ok'
end
