-- A main stops paying for a leaf (or the leaf leaves): out of the seed's list, and its reverse index gone. The
-- leaf keeps the plan keys already written (the months paid), so it ends with them unless it pays itself. A list
-- left with only its main is removed with its index (the seed's lists have at least two elements); the main keeps
-- its N for later leaves.
-- KEYS[1] main's payment-leaf_jids_index, KEYS[2] payment-leaf_jids-N, KEYS[3] leaf's bot-leaf_main,
-- KEYS[4] main's bot-leaf_list_n, KEYS[5] outbox stream; ARGV[1] main, ARGV[2] leaf, ARGV[3] N, ARGV[4] to whom the
-- other side's message goes ('' none), ARGV[5] that message
if redis.call('GET', KEYS[1]) ~= ARGV[3] then return 0 end
local of = redis.call('GET', KEYS[3])
if not of or cjson.decode(of).main ~= ARGV[1] then return 0 end
if redis.call('LREM', KEYS[2], 0, ARGV[2]) == 0 then return 0 end
redis.call('DEL', KEYS[3])
if redis.call('LLEN', KEYS[2]) <= 1 then
  redis.call('DEL', KEYS[2], KEYS[1])
  redis.call('SET', KEYS[4], ARGV[3])
end
if ARGV[4] ~= '' then redis.call('XADD', KEYS[5], '*', 'to', ARGV[4], 'body', ARGV[5], 'why', 'leaf-removed') end
return 1
