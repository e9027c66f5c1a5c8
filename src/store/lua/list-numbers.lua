-- Up to ARGV[3] available numbers matching a prefix, skipping those reserved by someone else, after the first
-- ARGV[5] such numbers (a page further on). Stops as soon as the page is full.
-- KEYS[1] available zset (tel), KEYS[2] by-place zset (place|tel), KEYS[3] info hash
-- ARGV[1] 'tel' | 'place', ARGV[2] prefix (folded place for place), ARGV[3] limit, ARGV[4] owner, ARGV[5] skip
local limit = tonumber(ARGV[3])
local skip = tonumber(ARGV[5] or '0')
local index = KEYS[1]
if ARGV[1] == 'place' then index = KEYS[2] end
local out = {}
local offset = 0
local lo, hi = '[' .. ARGV[2], '[' .. ARGV[2] .. '\255'
while #out < limit * 2 do
  local batch = redis.call('ZRANGEBYLEX', index, lo, hi, 'LIMIT', offset, 50)
  if #batch == 0 then break end
  offset = offset + #batch
  for _, m in ipairs(batch) do
    if #out >= limit * 2 then break end
    local tel = m
    if ARGV[1] == 'place' then tel = string.match(m, '|(.*)$') end
    local holder = redis.call('GET', 'bot-reservation-' .. tel)
    if not holder or holder == ARGV[4] then
      if skip > 0 then
        skip = skip - 1
      else
        out[#out + 1] = tel
        out[#out + 1] = redis.call('HGET', KEYS[3], tel) or '{}'
      end
    end
  end
end
return out
