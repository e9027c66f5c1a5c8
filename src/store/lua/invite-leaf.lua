-- A main offers to pay for a JID's account: the offer is kept (for a week) whatever that JID is, so it tells the
-- main nothing; the N of the main's leaf list is decided now, as for a payer code.
-- KEYS[1] the JID's bot-payer_invite, KEYS[2] main's bot-invites_of, KEYS[3] main's payment-leaf_jids_index,
-- KEYS[4] main's bot-leaf_list_n, KEYS[5] bot-leaf_jids_next, KEYS[6] the outbox
-- ARGV[1] main, ARGV[2] the JID, ARGV[3] show, ARGV[4] now ms, ARGV[5] ttl seconds, ARGV[6] the JID's message
-- (tell-fn.lua), queued only when this offer is the one kept
local list = redis.call('GET', KEYS[3]) or redis.call('GET', KEYS[4])
if not list then
  list = tostring(redis.call('INCR', KEYS[5]))
  redis.call('SET', KEYS[4], list)
end
-- An open offer from another main stays as it is (nobody can knock out someone else's offer); this main's own
-- offer is renewed. The main is answered the same either way.
local open = redis.call('GET', KEYS[1])
if not open or cjson.decode(open).main == ARGV[1] then
  redis.call('SET', KEYS[1], cjson.encode({main = ARGV[1], show = ARGV[3], list = list, at = tonumber(ARGV[4])}), 'EX', ARGV[5])
  tell(KEYS[6], ARGV[6])
end
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[2])
-- Offers older than their ttl are gone from the index too.
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', tonumber(ARGV[4]) - tonumber(ARGV[5]) * 1000)
return list
