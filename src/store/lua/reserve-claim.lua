-- Claim: hold a number for an owner, only if it is in the inventory and nobody else holds it; the hold's deadline
-- (bot-deadlines) says when the person is told it lapsed, unless it is let go or goes on first.
-- K[1] available zset, K[2] reservation key, K[3] deadlines zset
-- A[1] tel, A[2] owner, A[3] ttl seconds, A[4] the deadline's member, A[5] when it lapses (ms)
local function claim(K, A)
  if not redis.call('ZSCORE', K[1], A[1]) then return 'unavailable' end
  local cur = redis.call('GET', K[2])
  if cur and cur ~= A[2] then return 'unavailable' end
  redis.call('SET', K[2], A[2], 'EX', A[3])
  redis.call('ZADD', K[3], A[5], A[4])
  return 'ok'
end
