-- Sign up an already approved or paid JID directly with the number its session holds.
-- ARGV[1] tel, ARGV[2] session owner, ARGV[3] jid, ARGV[4] today
if redis.call('EXISTS', 'bot-jid_number-' .. ARGV[3]) == 1 then
  local old = redis.call('GET', 'bot-jid_number-' .. ARGV[3])
  if redis.call('GET', 'catapult_jid-' .. old) == ARGV[3] then return 'already-registered' end
end
if assign(ARGV[1], ARGV[2], ARGV[3], ARGV[4]) then return 'ok' end
return 'unavailable'
