-- Shared by fulfil-payment.lua and close-payment.lua: forget the JID's open-payment index if it names this
-- payment (a newer open payment of the same person keeps its own).
local function unindex(key, id)
  local raw = redis.call('GET', key)
  if raw and cjson.decode(raw).id == id then redis.call('DEL', key) end
end
