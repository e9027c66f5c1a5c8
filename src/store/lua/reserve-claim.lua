-- Claim: hold a number for an owner, only if it is in the inventory and nobody else holds it (a number the web
-- site chose for this person, `web:JID`, is theirs to take: the web choice and its deadline go); the hold's
-- deadline (bot-deadlines) says when the person is told it lapsed, unless it is let go or goes on first.
-- K[1] available zset, K[2] reservation key, K[3] deadlines zset, K[4] the person's bot-web_choice
-- A[1] tel, A[2] owner, A[3] ttl seconds, A[4] the deadline's member, A[5] when it lapses (ms), A[6] jid,
-- A[7] the web hold's deadline member
local function claim(K, A)
  if not redis.call('ZSCORE', K[1], A[1]) then return 'unavailable' end
  local cur = redis.call('GET', K[2])
  if cur and cur ~= A[2] then
    if cur ~= 'web:' .. A[6] then return 'unavailable' end
    redis.call('DEL', K[4])
    redis.call('ZREM', K[3], A[7])
  end
  redis.call('SET', K[2], A[2], 'EX', A[3])
  redis.call('ZADD', K[3], A[5], A[4])
  return 'ok'
end
