-- Queue messages in the outbox stream (bot-outbox), in the same script as the change they report: `json` is a
-- list of {to, body, why} ('' for none).
local function tell(outbox, json)
  if json == '' then return end
  for _, m in ipairs(cjson.decode(json)) do
    redis.call('XADD', outbox, '*', 'to', m.to, 'body', m.body, 'why', m.why)
  end
end
