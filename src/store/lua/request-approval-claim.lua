-- Claim: a trial signup waits for an admin; the session's reservation becomes a lasting hold `pending:JID`.
-- The admins are told (the outbox) in the same step.
-- K[1] reservation, K[2] pending, K[3] pending set, K[4] available zset, K[5] the outbox, K[6] the deadlines zset
-- A[1] tel, A[2] session owner, A[3] jid, A[4] pending json, A[5] now ms, A[6] the messages (tell-fn.lua),
-- A[7] the session hold's deadline (the hold lasts now: it never lapses)
local function claim(K, A)
  if redis.call('EXISTS', K[2]) == 1 then return 'already-pending' end
  if not redis.call('ZSCORE', K[4], A[1]) then return 'unavailable' end
  local cur = redis.call('GET', K[1])
  if cur and cur ~= A[2] then return 'unavailable' end
  redis.call('SET', K[1], 'pending:' .. A[3])
  redis.call('SET', K[2], A[4])
  redis.call('ZADD', K[3], A[5], A[3])
  tell(K[5], A[6])
  redis.call('ZREM', K[6], A[7])
  return 'ok'
end
