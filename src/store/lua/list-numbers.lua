-- Up to ARGV[3] available numbers matching a prefix, skipping those reserved by someone else, after the first
-- ARGV[5] such numbers (a page further on). Stops as soon as the page is full; each batch of candidates is one
-- ZRANGEBYLEX and one MGET of their holds, and the page's details one HMGET.
-- KEYS[1] available zset (tel), KEYS[2] by-place zset (place|tel), KEYS[3] info hash
-- ARGV[1] 'tel' | 'place', ARGV[2] prefix (folded place for place), ARGV[3] limit, ARGV[4] owner, ARGV[5] skip
local limit = tonumber(ARGV[3])
local skip = tonumber(ARGV[5] or '0')
local index = KEYS[1]
if ARGV[1] == 'place' then index = KEYS[2] end
local tels = {}
local offset = 0
-- The first batch is about what the page needs (most numbers are free), later ones larger; never more than Lua
-- can unpack into one MGET (a page far on is read in several batches).
local size = math.min(limit + skip + 2, 1000)
local lo, hi = '[' .. ARGV[2], '[' .. ARGV[2] .. '\255'
while #tels < limit do
  local batch = redis.call('ZRANGEBYLEX', index, lo, hi, 'LIMIT', offset, size)
  if #batch == 0 then break end
  offset = offset + #batch
  size = math.min(math.max(50, limit + skip), 1000)
  local candidates, holds = {}, {}
  for i, m in ipairs(batch) do
    local tel = m
    if ARGV[1] == 'place' then tel = string.match(m, '|(.*)$') end
    candidates[i] = tel
    holds[i] = 'bot-reservation-' .. tel
  end
  local holders = redis.call('MGET', unpack(holds))
  for i, tel in ipairs(candidates) do
    if #tels >= limit then break end
    local holder = holders[i]
    if not holder or holder == ARGV[4] then
      if skip > 0 then
        skip = skip - 1
      else
        tels[#tels + 1] = tel
      end
    end
  end
end
local out = {}
if #tels == 0 then return out end
local info = redis.call('HMGET', KEYS[3], unpack(tels))
for i, tel in ipairs(tels) do
  out[#out + 1] = tel
  out[#out + 1] = info[i] or '{}'
end
return out
