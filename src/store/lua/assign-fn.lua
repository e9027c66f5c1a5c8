-- Shared by the scripts that sign someone up: give TEL to JID for good, if it is still free for HOLDER.
-- assign_keys takes every key it touches (as KEYS did): available zset, catapult_jid-TEL, bot-reservation-TEL,
-- numbers info hash, by-place zset, bot-jid_number-JID, usage_start_day-TEL, the accounts index (bot-accounts).
-- Returns true when assigned.
local function assign_keys(K, tel, holder, jid, day)
  if not redis.call('ZSCORE', K.available, tel) then return false end
  if redis.call('EXISTS', K.catapult) == 1 then return false end
  local cur = redis.call('GET', K.reservation)
  if cur and cur ~= holder then return false end
  local info = cjson.decode(redis.call('HGET', K.info, tel) or '{}')
  redis.call('ZREM', K.available, tel)
  if info.place then redis.call('ZREM', K.byPlace, info.place) end
  redis.call('DEL', K.reservation)
  redis.call('SET', K.catapult, jid)
  redis.call('SET', K.jidNumber, tel)
  redis.call('SET', K.usageStart, day)
  redis.call('SADD', K.accounts, jid)
  return true
end

-- The same for the older scripts that name the keys themselves (as src/store/keys.ts names them).
local function assign(tel, holder, jid, day)
  return assign_keys({
    available = 'bot-numbers_available', catapult = 'catapult_jid-' .. tel, reservation = 'bot-reservation-' .. tel,
    info = 'bot-numbers_info', byPlace = 'bot-numbers_by_place', jidNumber = 'bot-jid_number-' .. jid,
    usageStart = 'usage_start_day-' .. tel, accounts = 'bot-accounts',
  }, tel, holder, jid, day)
end
