-- Store a session, forget it, or leave it as it is; and let go of it if this step holds it (a lock taken over by
-- another step, after this one ran past its time, is left to that step). A session stored with a pointer value (a
-- start) becomes the one the person's pointer (bot-current_session-…) names, for as long as it lives; a session
-- forgotten takes the pointer along, if the pointer still names it.
-- sk session key, lk its lock, ck the pointer; mode 'save' | 'delete' | 'keep', doc document, ttl seconds,
-- token lock ('' none), cv what the pointer holds when it names this session ('' no pointer to clear)
local function save_session(sk, lk, ck, mode, doc, ttl, token, cv)
  if mode == 'save' then
    redis.call('SET', sk, doc, 'EX', ttl)
    if cv ~= '' then redis.call('SET', ck, cv, 'EX', ttl) end
  end
  if mode == 'delete' then
    redis.call('DEL', sk)
    if cv ~= '' and redis.call('GET', ck) == cv then redis.call('DEL', ck) end
  end
  if token ~= '' and redis.call('GET', lk) == token then redis.call('DEL', lk) end
end
