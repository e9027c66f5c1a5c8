// Environment → typed Config, validated once at start; a bad setting stops the bot with one clear line.
import { activationMethods } from './commands/signup/methods/index.js';

export interface Config {
  readonly botJid: string;
  readonly xmppService: string;
  readonly xmppSecret: string;
  readonly redisUrl: string;
  readonly adminJids: readonly string[];
  readonly sessionTtlSeconds: number;
  readonly activationMethods: readonly string[];
  readonly trialPlans: { readonly first: string; readonly second: string };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Readonly<Record<string, string | undefined>>;

function need(env: Env, name: string, example: string): string {
  const v = env[name]?.trim();
  if (!v) throw new ConfigError(`${name} is not set (example: ${name}=${example})`);
  return v;
}

const DOMAIN = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i;

export function loadConfig(env: Env): Config {
  const botJid = need(env, 'BOT_JID', 'bot.example.org');
  if (!DOMAIN.test(botJid)) throw new ConfigError(`BOT_JID must be a component domain like bot.example.org, not "${botJid}"`);
  const xmppService = need(env, 'XMPP_SERVICE', 'xmpp://127.0.0.1:5347');
  if (!/^xmpp:\/\/[^/:]+:\d+$/.test(xmppService)) throw new ConfigError(`XMPP_SERVICE must look like xmpp://HOST:PORT, not "${xmppService}"`);
  const xmppSecret = need(env, 'XMPP_SECRET', 'the component_secret in your XMPP server config');
  const redisUrl = env.REDIS_URL?.trim() || 'redis://127.0.0.1:6379/0';
  if (!/^rediss?:\/\//.test(redisUrl)) throw new ConfigError(`REDIS_URL must look like redis://HOST:PORT/DB, not "${redisUrl}"`);
  const adminJids = (env.ADMIN_JIDS ?? '').split(',').map((j) => j.trim().toLowerCase()).filter(Boolean);
  const bad = adminJids.find((j) => !/^[^@/\s]+@[^@/\s]+$/.test(j));
  if (bad) throw new ConfigError(`ADMIN_JIDS must be bare JIDs separated by commas; "${bad}" is not one`);
  const ttlText = env.SESSION_TTL_SECONDS?.trim() || '1800';
  const sessionTtlSeconds = Number(ttlText);
  if (!Number.isInteger(sessionTtlSeconds) || sessionTtlSeconds < 1) {
    throw new ConfigError(`SESSION_TTL_SECONDS must be a whole number of seconds, not "${ttlText}"`);
  }
  const methods = (env.ACTIVATION_METHODS ?? 'trial').split(',').map((m) => m.trim()).filter(Boolean);
  const unknown = methods.find((m) => !activationMethods[m]);
  if (unknown) throw new ConfigError(`ACTIVATION_METHODS: unknown method "${unknown}" (known: ${Object.keys(activationMethods).join(', ')})`);
  return {
    botJid,
    xmppService,
    xmppSecret,
    redisUrl,
    adminJids,
    sessionTtlSeconds,
    activationMethods: methods,
    trialPlans: {
      first: env.TRIAL_PLAN_FIRST_MONTH?.trim() || 'trial_first_month-v20261101',
      second: env.TRIAL_PLAN_SECOND_MONTH?.trim() || 'trial_second_month-v20261101',
    },
  };
}
