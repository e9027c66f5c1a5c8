-- Shared by approve.lua and assign.lua: give TEL to JID for good, if it is still free for HOLDER.
-- Returns true when assigned. Keys touched are named as in src/store/keys.ts.
local function assign(tel, holder, jid, day)
  if not redis.call('ZSCORE', 'bot-numbers_available', tel) then return false end
  if redis.call('EXISTS', 'catapult_jid-' .. tel) == 1 then return false end
  local cur = redis.call('GET', 'bot-reservation-' .. tel)
  if cur and cur ~= holder then return false end
  local info = cjson.decode(redis.call('HGET', 'bot-numbers_info', tel) or '{}')
  redis.call('ZREM', 'bot-numbers_available', tel)
  if info.place then redis.call('ZREM', 'bot-numbers_by_place', info.place) end
  redis.call('DEL', 'bot-reservation-' .. tel)
  redis.call('SET', 'catapult_jid-' .. tel, jid)
  redis.call('SET', 'bot-jid_number-' .. jid, tel)
  redis.call('SET', 'usage_start_day-' .. tel, day)
  return true
end
