-- Create a referral code, unless it exists or its creator made their month's share already.
-- KEYS[1] code hash, KEYS[2] creator's codes zset, KEYS[3] creator's count this month, KEYS[4] creator's
-- payment-leaf_jids_index, KEYS[5] creator's bot-leaf_list_n, KEYS[6] bot-leaf_jids_next
-- ARGV[1] code, ARGV[2] kind, ARGV[3] creator, ARGV[4] uses (-1 no limit), ARGV[5] expires ms (0 never),
-- ARGV[6] now ms, ARGV[7] codes per month (0 no limit), ARGV[8] count ttl seconds, ARGV[9] show (number | jid)
if redis.call('EXISTS', KEYS[1]) == 1 then return 'taken' end
local made = tonumber(redis.call('GET', KEYS[3]) or '0')
if tonumber(ARGV[7]) > 0 and made >= tonumber(ARGV[7]) then return 'limit' end
local list = ''
if ARGV[2] == 'payer' then
  -- The N the creator's leaf list has, or will have when its first leaf signs up.
  list = redis.call('GET', KEYS[4]) or redis.call('GET', KEYS[5])
  if not list then
    list = tostring(redis.call('INCR', KEYS[6]))
    redis.call('SET', KEYS[5], list)
  end
end
redis.call('HSET', KEYS[1], 'kind', ARGV[2], 'creator', ARGV[3], 'uses', ARGV[4], 'expires', ARGV[5],
  'created', ARGV[6], 'revoked', '0', 'list', list, 'show', ARGV[9])
redis.call('ZADD', KEYS[2], ARGV[6], ARGV[1])
redis.call('INCR', KEYS[3])
redis.call('EXPIRE', KEYS[3], ARGV[8])
return 'ok'
