-- Apply one account's rollover into month M, once: the charge from the balance, the plan keys for M, the month's
-- marker and the notices (into the outbox stream), all or nothing. Refused as 'stale' when what the decision was
-- made on has changed (the balance, a plan for M written meanwhile by a payment, a leaf no longer the main's):
-- the caller reads again.
-- KEYS[1] marker bot-rollover-M-JID, KEYS[2] the main's balance, KEYS[3] outbox stream,
-- KEYS[4 .. 3+n] plan keys for M to write, then m plan keys for M of the accounts that end (must be absent),
-- then k bot-leaf_main keys of the leaves written (must still name the main)
-- ARGV[1] expected balance ('' none), ARGV[2] charge, ARGV[3] outcome, ARGV[4] marker ttl seconds, ARGV[5] n,
-- ARGV[6 .. 5+n] the plans, ARGV[6+n] month, ARGV[7+n] m, ARGV[8+n] k, ARGV[9+n] the main, then pairs
-- (to, text) of notices
-- Returns 'ok', 'done' or 'stale'.
if redis.call('EXISTS', KEYS[1]) == 1 then return 'done' end
if (redis.call('GET', KEYS[2]) or '') ~= ARGV[1] then return 'stale' end
local n = tonumber(ARGV[5])
local m = tonumber(ARGV[7 + n])
local k = tonumber(ARGV[8 + n])
local main = ARGV[9 + n]
for i = 4, 3 + n + m do
  if redis.call('EXISTS', KEYS[i]) == 1 then return 'stale' end
end
for i = 4 + n + m, 3 + n + m + k do
  local leafOf = redis.call('GET', KEYS[i])
  local ok, of = pcall(cjson.decode, leafOf or '')
  if not ok or type(of) ~= 'table' or of.main ~= main then return 'stale' end
end
local charge = tonumber(ARGV[2])
if charge > 0 then redis.call('DECRBY', KEYS[2], charge) end
for i = 1, n do redis.call('SET', KEYS[3 + i], ARGV[5 + i]) end
redis.call('SET', KEYS[1], ARGV[3], 'EX', ARGV[4])
local month = ARGV[6 + n]
for i = 10 + n, #ARGV, 2 do
  redis.call('XADD', KEYS[3], '*', 'to', ARGV[i], 'body', ARGV[i + 1], 'why', 'rollover-' .. month)
end
return 'ok'
