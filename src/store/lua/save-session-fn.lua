-- Store a session, forget it, or leave it as it is; and let go of it if this step holds it (a lock taken over by
-- another step, after this one ran past its time, is left to that step).
-- sk session key, lk its lock; mode 'save' | 'delete' | 'keep', doc document, ttl seconds, token lock ('' none)
local function save_session(sk, lk, mode, doc, ttl, token)
  if mode == 'save' then redis.call('SET', sk, doc, 'EX', ttl) end
  if mode == 'delete' then redis.call('DEL', sk) end
  if token ~= '' and redis.call('GET', lk) == token then redis.call('DEL', lk) end
end
