// Environment → typed Config, validated once at start; a bad setting stops the bot with one clear line.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ReferralSettings, WebRegisterSettings } from './commands/deps.js';
import { activationMethods } from './commands/signup/methods/index.js';
import { type Catalogue, CatalogueError, parseCatalogue } from './domain/catalogue.js';
import type { RedisTarget } from './store/redis.js';

/** The example catalogue shipped with the bot, used when PLANS_FILE is not set. */
export const SAMPLE_PLANS_FILE = fileURLToPath(new URL('../samples/plans.json', import.meta.url));

export interface StripeConfig {
  readonly secretKey: string;
  readonly webhookSecret: string;
  /** Where the Stripe API is; only set to point the SDK at a stand-in (tests, demo). */
  readonly apiUrl?: URL;
}

export interface WebConfig {
  readonly host: string;
  readonly port: number;
  /** How people reach the web server (https://pay.example.org): links and Stripe return pages start with it. */
  readonly publicUrl: string;
}

export interface Config {
  readonly botJid: string;
  readonly xmppService: string;
  readonly xmppSecret: string;
  /** Wait while another process holds BOT_JID (Prosody's `conflict`) and take over when it goes; else stop. */
  readonly standby: boolean;
  /** REDIS_URL, or REDIS_SENTINELS with REDIS_SENTINEL_NAME (and REDIS_DB, REDIS_PASSWORD). */
  readonly redis: RedisTarget;
  /** Writes wait for this many replicas (REDIS_WAIT_REPLICAS, REDIS_WAIT_TIMEOUT_MS); 0: none. */
  readonly redisWait: { readonly replicas: number; readonly timeoutMs: number };
  readonly adminJids: readonly string[];
  readonly webRegister: WebRegisterSettings;
  readonly sessionTtlSeconds: number;
  readonly activationMethods: readonly string[];
  readonly trialPlans: { readonly first: string; readonly second: string };
  readonly catalogue: Catalogue;
  readonly plansFile: string;
  readonly referral: ReferralSettings;
  /** Card payments; present when STRIPE_SECRET_KEY is set. */
  readonly stripe?: StripeConfig;
  /** The HTTP server (payment links, Stripe webhook, /healthz); present when HTTP_PORT is set. */
  readonly web?: WebConfig;
  /** The daily billing jobs: from which UTC hour they are due, and whether charges are told. */
  readonly billing: {
    readonly scheduler: boolean;
    readonly hourUtc: number;
    readonly tellCharges: boolean;
    /** Days after an account ends before its number goes back to the inventory; 0: never. */
    readonly releaseAfterDays: number;
  };
  /** GET /metrics on a port of its own; present when METRICS_PORT is set (the web server serves it too). */
  readonly metrics?: { readonly host: string; readonly port: number };
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

/** A whole number ≥ `min` from `name`, or `fallback` when it is not set. */
function count(env: Env, name: string, fallback: number, min: number, what: string): number {
  const text = env[name]?.trim();
  if (!text) return fallback;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < min) throw new ConfigError(`${name} must be ${what}, not "${text}"`);
  return n;
}

/** Where Redis is: REDIS_SENTINELS (host:port,…) with REDIS_SENTINEL_NAME, or REDIS_URL. Used by the CLI too. */
export function redisTarget(env: Env): RedisTarget {
  const list = env.REDIS_SENTINELS?.trim();
  if (!list) {
    const url = env.REDIS_URL?.trim() || 'redis://127.0.0.1:6379/0';
    if (!/^rediss?:\/\/[^/]/.test(url)) throw new ConfigError(`REDIS_URL must look like redis://HOST:PORT/DB, not "${url}"`);
    return url;
  }
  if (env.REDIS_URL?.trim())
    throw new ConfigError('REDIS_URL and REDIS_SENTINELS are both set: set one (with Sentinels, REDIS_DB and REDIS_PASSWORD)');
  const sentinels = list.split(',').map((hp) => {
    const m = /^\s*([^\s:]+|\[[0-9a-f:]+\]):(\d{1,5})\s*$/i.exec(hp);
    const port = Number(m?.[2]);
    if (!m || port < 1 || port > 65535)
      throw new ConfigError(`REDIS_SENTINELS must be host:port pairs separated by commas; "${hp.trim()}" is not one`);
    return { host: (m[1] as string).replace(/^\[|\]$/g, ''), port };
  });
  const name = need(env, 'REDIS_SENTINEL_NAME', 'mymaster (the name in the Sentinels\' "sentinel monitor" line)');
  const db = count(env, 'REDIS_DB', 0, 0, 'a database number');
  const password = env.REDIS_PASSWORD?.trim();
  const sentinelPassword = env.REDIS_SENTINEL_PASSWORD?.trim();
  return { sentinels, name, db, ...(password ? { password } : {}), ...(sentinelPassword ? { sentinelPassword } : {}) };
}

/** A list of bare JIDs separated by commas (lower case). */
function bareJids(env: Env, name: string): string[] {
  const jids = (env[name] ?? '')
    .split(',')
    .map((j) => j.trim().toLowerCase())
    .filter(Boolean);
  const bad = jids.find((j) => !/^[^@/\s]+@[^@/\s]+$/.test(j));
  if (bad) throw new ConfigError(`${name} must be bare JIDs separated by commas; "${bad}" is not one`);
  return jids;
}

/** A yes/no setting: 1/0, true/false, yes/no, on/off. */
function flag(env: Env, name: string, fallback: boolean): boolean {
  const text = env[name]?.trim().toLowerCase();
  if (!text) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(text)) return true;
  if (['0', 'false', 'no', 'off'].includes(text)) return false;
  throw new ConfigError(`${name} must be 1 or 0, not "${text}"`);
}

export function loadConfig(env: Env): Config {
  const botJid = need(env, 'BOT_JID', 'bot.example.org');
  if (!DOMAIN.test(botJid)) throw new ConfigError(`BOT_JID must be a component domain like bot.example.org, not "${botJid}"`);
  const xmppService = need(env, 'XMPP_SERVICE', 'xmpp://127.0.0.1:5347');
  if (!/^xmpp:\/\/[^/:]+:\d+$/.test(xmppService))
    throw new ConfigError(`XMPP_SERVICE must look like xmpp://HOST:PORT, not "${xmppService}"`);
  const xmppSecret = need(env, 'XMPP_SECRET', 'the component_secret in your XMPP server config');
  const standby = flag(env, 'BOT_STANDBY', true);
  const redis = redisTarget(env);
  const redisWait = {
    replicas: count(env, 'REDIS_WAIT_REPLICAS', 0, 0, 'a number of replicas (0: do not wait)'),
    timeoutMs: count(env, 'REDIS_WAIT_TIMEOUT_MS', 500, 1, 'a number of milliseconds'),
  };
  const adminJids = bareJids(env, 'ADMIN_JIDS');
  const webRegister = {
    jids: bareJids(env, 'WEB_REGISTER_JIDS'),
    holdSeconds: 60 * count(env, 'WEB_REGISTER_HOLD_MINUTES', 30, 1, 'a whole number of minutes'),
    messagesPerHour: count(env, 'WEB_REGISTER_MESSAGES_PER_HOUR', 5, 1, 'a whole number of messages'),
  };
  const sessionTtlSeconds = count(env, 'SESSION_TTL_SECONDS', 1800, 1, 'a whole number of seconds');
  const referral: ReferralSettings = {
    codesPerMonth: count(env, 'REFERRAL_CODES_PER_MONTH', 10, 0, 'a whole number of codes (0: none)'),
    minPaidDays: count(env, 'REFERRAL_MIN_PAID_DAYS', 0, 0, 'a whole number of days'),
    inviteCredit: count(env, 'INVITE_CREDIT', 0, 0, 'an amount in minor units (250 = $2.50; 0: none)'),
    codeTriesPerHour: count(env, 'CODE_TRIES_PER_HOUR', 5, 1, 'a whole number of tries'),
  };
  const methods = (env.ACTIVATION_METHODS ?? 'trial')
    .split(',')
    .map((m) => m.trim())
    .filter(Boolean);
  const unknown = methods.find((m) => !activationMethods[m]);
  if (unknown)
    throw new ConfigError(`ACTIVATION_METHODS: unknown method "${unknown}" (known: ${Object.keys(activationMethods).join(', ')})`);
  const plansFile = env.PLANS_FILE?.trim() || SAMPLE_PLANS_FILE;
  const catalogue = loadCatalogue(plansFile);
  const stripe = stripeConfig(env);
  const web = webConfig(env);
  const metrics = listenConfig(env, 'METRICS');
  const hourUtc = count(env, 'ROLLOVER_HOUR_UTC', 0, 0, 'an hour from 0 to 23');
  if (hourUtc > 23) throw new ConfigError(`ROLLOVER_HOUR_UTC must be an hour from 0 to 23, not "${hourUtc}"`);
  const billing = {
    scheduler: flag(env, 'BILLING_SCHEDULER', true),
    hourUtc,
    tellCharges: flag(env, 'NOTICE_CHARGES', false),
    releaseAfterDays: count(env, 'NUMBER_RELEASE_DAYS', 0, 0, 'a whole number of days (0: numbers are kept forever)'),
  };
  if (methods.includes('credit_card')) {
    if (!stripe) throw new ConfigError('ACTIVATION_METHODS has credit_card, so STRIPE_SECRET_KEY must be set (sk_live_… or sk_test_…)');
    if (!web)
      throw new ConfigError('ACTIVATION_METHODS has credit_card, so HTTP_PORT and PUBLIC_URL must be set (Stripe calls the webhook there)');
    if (catalogue.paid.length === 0) throw new ConfigError(`ACTIVATION_METHODS has credit_card, but ${plansFile} has no paid plan`);
  }
  if (stripe && !web)
    throw new ConfigError('STRIPE_SECRET_KEY is set, so HTTP_PORT and PUBLIC_URL must be set too (for the webhook and payment links)');
  return {
    botJid,
    xmppService,
    xmppSecret,
    standby,
    redis,
    redisWait,
    adminJids,
    webRegister,
    sessionTtlSeconds,
    activationMethods: methods,
    trialPlans: { first: catalogue.trial.first.id, second: catalogue.trial.second.id },
    catalogue,
    plansFile,
    referral,
    ...(stripe ? { stripe } : {}),
    ...(web ? { web } : {}),
    billing,
    ...(metrics ? { metrics } : {}),
  };
}

export function loadCatalogue(file: string): Catalogue {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`PLANS_FILE: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  try {
    return parseCatalogue(JSON.parse(text));
  } catch (err) {
    if (err instanceof CatalogueError || err instanceof SyntaxError) throw new ConfigError(`PLANS_FILE ${file}: ${err.message}`);
    throw err;
  }
}

function stripeConfig(env: Env): StripeConfig | undefined {
  const secretKey = env.STRIPE_SECRET_KEY?.trim();
  if (!secretKey) return undefined;
  if (!/^(sk|rk)_(test|live)_\w+$/.test(secretKey))
    throw new ConfigError('STRIPE_SECRET_KEY must be a secret key (sk_test_… or sk_live_…)');
  const webhookSecret = need(env, 'STRIPE_WEBHOOK_SECRET', 'whsec_… from the webhook endpoint in the Stripe dashboard');
  if (!webhookSecret.startsWith('whsec_')) throw new ConfigError('STRIPE_WEBHOOK_SECRET must be the endpoint signing secret (whsec_…)');
  const api = env.STRIPE_API_URL?.trim();
  let apiUrl: URL | undefined;
  if (api) {
    try {
      apiUrl = new URL(api);
    } catch {
      throw new ConfigError(`STRIPE_API_URL must be a URL like http://127.0.0.1:12111, not "${api}"`);
    }
  }
  return { secretKey, webhookSecret, ...(apiUrl ? { apiUrl } : {}) };
}

/** PREFIX_PORT (unset: none) and PREFIX_HOST (default 127.0.0.1): where a server listens. */
function listenConfig(env: Env, prefix: 'HTTP' | 'METRICS'): { host: string; port: number } | undefined {
  const portText = env[`${prefix}_PORT`]?.trim();
  if (!portText) return undefined;
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`${prefix}_PORT must be a port number, not "${portText}"`);
  return { host: env[`${prefix}_HOST`]?.trim() || '127.0.0.1', port };
}

function webConfig(env: Env): WebConfig | undefined {
  const listen = listenConfig(env, 'HTTP');
  if (!listen) return undefined;
  const publicUrl = need(env, 'PUBLIC_URL', 'https://pay.example.org').replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+(\/.*)?$/.test(publicUrl))
    throw new ConfigError(`PUBLIC_URL must start with https:// (or http://), not "${publicUrl}"`);
  // The web server answers at the root (/pay/…, /stripe/webhook): a path in PUBLIC_URL would make links it does not serve.
  if (/^https?:\/\/[^/]+\/./.test(publicUrl))
    throw new ConfigError(`PUBLIC_URL must be the root of a host (e.g. https://pay.example.org), not a path: "${publicUrl}"`);
  return { ...listen, publicUrl };
}
