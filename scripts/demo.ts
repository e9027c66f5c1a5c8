// The demo: a private Prosody + Redis on free ports (in .demo/), the sample inventory, the bot, and a terminal chat.
//
//   npx tsx scripts/demo.ts            servers + bot + terminal chat as alice (stdin lines go to the bot)
//   npx tsx scripts/demo.ts --no-chat  servers + bot only, until Ctrl-C (talk to it with a real client)
//   npx tsx scripts/demo.ts --no-bot   servers only, to run `npm start` yourself with the printed environment
//
// stdin need not be a terminal: piped lines are sent one at a time, each after the bot's answer to the
// previous one, and the demo stops once the input ends and the bot has gone quiet.
import { randomBytes, randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { clearLine, createInterface, cursorTo, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { client, xml, type Client } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import type { Log } from '../src/domain/ports.js';
import { startBot, type Bot } from '../src/bot.js';
import { loadConfig } from '../src/config.js';
import { parseInventoryCsv } from '../src/store/inventory-csv.js';
import { NumberStore } from '../src/store/numbers.js';
import { connectRedis } from '../src/store/redis.js';
import { freePort, startProsody, startRedis, type RunningProsody, type RunningRedis } from '../src/dev/servers.js';
import { startStripeStandin, type Standin } from '../src/dev/stripe-standin.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const DIR = join(ROOT, '.demo');
const SAMPLES = join(ROOT, 'samples', 'numbers.csv');
const DOMAIN = 'localhost';
const BOT_JID = 'bot.localhost';
const PASSWORD = 'demo';
const USERS = ['alice', 'bob', 'admin', 'site'] as const;
/** The web site's own JID (WEB_REGISTER_JIDS): samples/web-site.ts logs in as it. */
const SITE = 'site@localhost';
const ADMIN = 'admin@localhost';
/** How long a signup holds a number; `SESSION_TTL_SECONDS=60 npm run demo` shows a hold lapse (and its message) soon. */
const SESSION_TTL_SECONDS = process.env.SESSION_TTL_SECONDS ?? '1800';
const USAGE = 'usage: npm run demo [-- --no-chat | --no-bot]';

// ---------------------------------------------------------------------------
// Arguments
// ---------------------------------------------------------------------------

const args = process.argv.slice(2);
for (const a of args) {
  if (a === '-h' || a === '--help') {
    console.log(`${USAGE}
  (default)   Prosody + Redis + the bot, and a terminal chat as alice@localhost on stdin
  --no-chat   Prosody + Redis + the bot; talk to it from an XMPP client; Ctrl-C stops
  --no-bot    Prosody + Redis only; run \`npm start\` yourself with the printed environment`);
    process.exit(0);
  }
  if (a !== '--no-chat' && a !== '--no-bot') {
    console.error(`demo: unknown option ${a}\n${USAGE}`);
    process.exit(2);
  }
}
const withBot = !args.includes('--no-bot');
const withChat = !args.includes('--no-chat');

// ---------------------------------------------------------------------------
// Output: keeps the chat prompt intact when messages arrive while typing
// ---------------------------------------------------------------------------

const tty = process.stdin.isTTY === true && process.stdout.isTTY === true;
let rl: Interface | undefined;

function say(text: string): void {
  if (rl && tty) {
    clearLine(process.stdout, 0);
    cursorTo(process.stdout, 0);
  }
  process.stdout.write(`${text}\n`);
  if (rl && tty && !stopping) rl.prompt(true);
}

const botLogFile = join(DIR, 'bot.log');
const botLog: Log = {
  info: (m) => appendFileSync(botLogFile, `${new Date().toISOString()} ${m}\n`),
  warn: (m) => appendFileSync(botLogFile, `${new Date().toISOString()} warn ${m}\n`),
  error: (m) => {
    appendFileSync(botLogFile, `${new Date().toISOString()} error ${m}\n`);
    say(`(bot error, see ${relative(ROOT, botLogFile)}: ${m.split('\n')[0]})`);
  },
};

// ---------------------------------------------------------------------------
// One demo at a time in .demo/
// ---------------------------------------------------------------------------

const pidFile = join(DIR, 'demo.pid');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function claimDir(): void {
  if (existsSync(pidFile)) {
    const other = Number(readFileSync(pidFile, 'utf8').trim());
    if (Number.isInteger(other) && other > 0 && other !== process.pid && alive(other)) {
      console.error(`demo: another demo is running (pid ${other}) in ${relative(ROOT, DIR)}/: stop it first (Ctrl-C in its terminal)`);
      process.exit(1);
    }
  }
  // Start from a clean directory: the data of a previous run is of no use (Redis keeps nothing on disk).
  mkdirSync(DIR, { recursive: true });
  for (const entry of readdirSync(DIR)) rmSync(join(DIR, entry), { recursive: true, force: true });
  writeFileSync(pidFile, `${process.pid}\n`);
}

// ---------------------------------------------------------------------------
// Shutdown
// ---------------------------------------------------------------------------

let stopping = false;
let redisServer: RunningRedis | undefined;
let prosody: RunningProsody | undefined;
let bot: Bot | undefined;
const sessions = new Map<string, Client>();

async function shutdown(code = 0, why?: string): Promise<never> {
  if (stopping) {
    // A second Ctrl-C while stopping: leave at once (servers.ts kills the children on exit).
    process.exit(code || 130);
  }
  stopping = true;
  rl?.close();
  if (why) console.error(why);
  say('demo: stopping…');
  const within = <T>(p: Promise<T>, ms: number) => Promise.race([p.catch(() => undefined), new Promise((r) => setTimeout(r, ms))]);
  await within(Promise.all([...sessions.values()].map((c) => c.stop())), 3000);
  if (bot) await within(bot.stop(), 3000);
  await Promise.allSettled([prosody?.stop(), redisServer?.stop(), standin?.stop()]);
  try {
    if (readFileSync(pidFile, 'utf8').trim() === String(process.pid)) rmSync(pidFile);
  } catch {
    /* gone already */
  }
  say('demo: stopped (bot, Prosody and Redis)');
  process.exit(code);
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
process.on('SIGHUP', () => void shutdown(0));

// ---------------------------------------------------------------------------
// Start
// ---------------------------------------------------------------------------

claimDir();
const secret = randomBytes(18).toString('base64url');
try {
  const [r, p] = await Promise.allSettled([
    startRedis(DIR),
    startProsody({
      dir: DIR,
      components: [{ jid: BOT_JID, secret }],
      users: USERS.map((user) => ({ user, host: DOMAIN, password: PASSWORD })),
    }),
  ]);
  if (r.status === 'fulfilled') redisServer = r.value;
  if (p.status === 'fulfilled') prosody = p.value;
  if (r.status === 'rejected') throw r.reason;
  if (p.status === 'rejected') throw p.reason;
} catch (err) {
  await shutdown(1, `demo: could not start the servers: ${(err as Error).message}`);
}
const redisUrl = `redis://127.0.0.1:${redisServer!.port}/0`;
const c2sPort = prosody!.c2sPort;
const componentPort = prosody!.componentPort;

// The sample inventory, through the same parser and store as `npm run cli -- numbers import`.
let imported = 0;
try {
  const parsed = parseInventoryCsv(readFileSync(SAMPLES, 'utf8'));
  for (const p of parsed.problems) console.error(`${relative(ROOT, SAMPLES)} line ${p.line}: ${p.message}`);
  const redis = await connectRedis(redisUrl, botLog);
  try {
    imported = (await new NumberStore(redis).import(parsed.rows)).added;
  } finally {
    redis.disconnect();
  }
} catch (err) {
  await shutdown(1, `demo: could not import ${relative(ROOT, SAMPLES)}: ${(err as Error).message}`);
}

// Card payments against the local Stripe stand-in: its checkout page has a "Pay (test card)" button that
// posts a signed webhook to the bot, as Stripe would. No real money, no internet needed.
process.env.STRIPE_SUPPRESS_NOTICES = 'true';
const WEBHOOK_SECRET = `whsec_demo${randomBytes(12).toString('hex')}`;
let standin: Standin | undefined;
let httpPort = 0;
try {
  httpPort = await freePort();
  standin = await startStripeStandin({ webhook: { url: `http://127.0.0.1:${httpPort}/stripe/webhook`, secret: WEBHOOK_SECRET } });
} catch (err) {
  await shutdown(1, `demo: could not start the Stripe stand-in: ${(err as Error).message}`);
}
const publicUrl = `http://127.0.0.1:${httpPort}`;

const env = {
  BOT_JID,
  XMPP_SERVICE: `xmpp://127.0.0.1:${componentPort}`,
  XMPP_SECRET: secret,
  REDIS_URL: redisUrl,
  ADMIN_JIDS: ADMIN,
  WEB_REGISTER_JIDS: SITE,
  SESSION_TTL_SECONDS,
  ACTIVATION_METHODS: 'trial,credit_card,code',
  STRIPE_SECRET_KEY: 'sk_test_demo',
  STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
  STRIPE_API_URL: standin!.url,
  HTTP_PORT: String(httpPort),
  PUBLIC_URL: publicUrl,
};

if (withBot) {
  try {
    bot = await startBot(loadConfig(env), { log: botLog, onFatal: (why) => void shutdown(1, `demo: ${why}`) });
  } catch (err) {
    await shutdown(1, `demo: the bot could not start: ${(err as Error).message} (see ${relative(ROOT, botLogFile)})`);
  }
}

// A ready-made poezio configuration (poezio -f FILE).
const poezioCfg = join(DIR, 'poezio.cfg');
writeFileSync(
  poezioCfg,
  [
    '[Poezio]',
    `jid = alice@${DOMAIN}`,
    `password = ${PASSWORD}`,
    'custom_host = 127.0.0.1',
    `custom_port = ${c2sPort}`,
    'force_encryption = false',
    '',
  ].join('\n'),
);

const envLine = Object.entries(env)
  .map(([k, v]) => `${k}=${v}`)
  .join(' ');
const rel = (p: string) => relative(ROOT, p);
say(`
================ jmp-account-bot demo ================
XMPP server   127.0.0.1:${c2sPort}  (client port; plain TCP, no TLS)  domain ${DOMAIN}
Accounts      alice@${DOMAIN}, bob@${DOMAIN}, ${ADMIN} (the approver)   password: ${PASSWORD}
Bot           ${BOT_JID}${withBot ? '' : '   (NOT started: --no-bot; run it yourself, below)'}
Redis         ${redisUrl}   ${imported} numbers from ${rel(SAMPLES)}
Web           ${publicUrl}/healthz   payment links; Stripe stand-in at ${standin!.url} (test checkout, no real money)
Logs          ${rel(prosody!.logFile)}, ${rel(botLogFile)}

Chat with ${BOT_JID} from a real client (Debian: apt-get install profanity  or  apt-get install poezio):
  profanity, then:  /connect alice@${DOMAIN} server 127.0.0.1 port ${c2sPort} tls disable
                    /msg ${BOT_JID} hi          ad-hoc: /cmd list ${BOT_JID}
  poezio -f ${rel(poezioCfg)}     then:  /message ${BOT_JID}     ad-hoc: /ad-hoc ${BOT_JID}
Try: "signup" as alice, then "approvals" as ${ADMIN}.
Or "signup" as bob and choose "Pay by card": open the link in a browser and press "Pay (test card)";
the bot then tells bob his number. "upgrade" and "top-up" work the same way.
Once bob pays, "codes" makes him a referral code: alice can sign up with it ("I have a code", or type it),
and "accounts" shows bob whom he pays for.
The web site (${SITE}) choosing a number for alice, who is told in chat ("y" takes it):
  npx tsx samples/web-site.ts --service xmpp://127.0.0.1:${c2sPort} --jid ${SITE} --password ${PASSWORD} register alice@${DOMAIN} +14165550100

Inventory:    REDIS_URL=${redisUrl} npm run cli -- numbers list
Usage (u):    REDIS_URL=${redisUrl} npm run cli -- usage record +14165550100 messages_in 3   (as the SMS gateway counts)
Your own bot: ${withBot ? `restart the demo with --no-bot (only one process can be ${BOT_JID}), then in another terminal:\n  ` : 'in another terminal:\n  '}${envLine} npm start
Ctrl-C stops everything.
======================================================`);

if (!withChat) {
  say(`demo: running without the terminal chat; Ctrl-C to stop.`);
} else {
  await chat();
}

// ---------------------------------------------------------------------------
// The terminal chat
// ---------------------------------------------------------------------------

interface Inbox {
  /** Resolves when the next message for `who` arrives from the bot, or after `ms`. */
  waitForBot(who: string, ms: number): Promise<boolean>;
  lastAt: number;
}

async function chat(): Promise<void> {
  const inbox: Inbox & { waiters: { who: string; done: (ok: boolean) => void }[] } = {
    lastAt: 0,
    waiters: [],
    waitForBot(who, ms) {
      return new Promise((resolve) => {
        const w = {
          who,
          done: (ok: boolean) => {
            clearTimeout(t);
            resolve(ok);
          },
        };
        const t = setTimeout(() => {
          const i = inbox.waiters.indexOf(w);
          if (i !== -1) inbox.waiters.splice(i, 1);
          resolve(false);
        }, ms);
        inbox.waiters.push(w);
      });
    },
  };

  async function login(user: string): Promise<Client> {
    const existing = sessions.get(user);
    if (existing) return existing;
    const xmpp = client({
      service: `xmpp://127.0.0.1:${c2sPort}`,
      domain: DOMAIN,
      resource: 'demo',
      // PLAIN is fine on this loopback-only server (see DEPENDENCY-NOTES on SCRAM and @xmpp/client).
      credentials: async (authenticate, mechanisms) => {
        const mech = mechanisms.includes('PLAIN') ? 'PLAIN' : mechanisms[0];
        if (!mech) throw new Error('the server offers no SASL mechanism');
        await authenticate({ username: user, password: PASSWORD }, mech, xml('user-agent', { id: randomUUID() }));
      },
    });
    xmpp.reconnect.stop();
    xmpp.on('error', (err: Error) => {
      if (!stopping) say(`(${user}: ${err.message})`);
    });
    xmpp.on('stanza', (stanza: Element) => {
      if (!stanza.is('message')) return;
      const from = String(stanza.attrs.from ?? '');
      const short = from.split('/')[0] ?? from;
      if (stanza.attrs.type === 'error') {
        const cond = stanza.getChild('error')?.getChildElements()[0]?.name ?? 'error';
        say(`(${user}: error from ${short}: ${cond})`);
        return;
      }
      const body = stanza.getChildText('body');
      if (body === null || body === undefined) return;
      inbox.lastAt = Date.now();
      say(`${short} → ${user}:\n${body.replace(/^/gm, '    ')}`);
      if (short === BOT_JID) {
        const mine = inbox.waiters.filter((x) => x.who === user);
        inbox.waiters = inbox.waiters.filter((x) => x.who !== user);
        for (const w of mine) w.done(true);
      }
    });
    await xmpp.start();
    await xmpp.send(xml('presence'));
    sessions.set(user, xmpp);
    return xmpp;
  }

  let current = 'alice';
  try {
    await login('alice');
    await login('admin'); // so that approval requests show up as they arrive
  } catch (err) {
    await shutdown(1, `demo: could not log in to the chat: ${(err as Error).message}`);
  }

  say(`
Terminal chat: you are alice@${DOMAIN}. Each line you type is a chat message to ${BOT_JID}.
  /as bob, /as admin, /as alice   switch user (everyone stays logged in; admin sees approval requests)
  /quit (or Ctrl-C)               stop the demo
Say "hi" or "signup" to begin.
`);

  rl = createInterface({ input: process.stdin, output: process.stdout, terminal: tty });
  rl.setPrompt(`${current}> `);
  rl.on('SIGINT', () => void shutdown(0));

  // Lines are handled strictly in order; piped input waits for the bot's answer before the next line.
  const lines: string[] = [];
  let busy = false;
  let ended = false;

  async function handle(line: string): Promise<void> {
    const text = line.trim();
    if (!tty) say(`${current}> ${line}`);
    if (!text || text.startsWith('#')) return;
    if (text === '/quit' || text === '/exit') return void (await shutdown(0));
    if (text === '/help') return say('/as USER (alice, bob, admin) switches user; /quit stops; anything else goes to the bot.');
    const as = /^\/as\s+(\S+)$/.exec(text);
    if (as) {
      const user = as[1]!.replace(/@localhost$/, '').toLowerCase();
      if (!(USERS as readonly string[]).includes(user)) return say(`(no such user: try ${USERS.join(', ')})`);
      try {
        await login(user);
      } catch (err) {
        return say(`(could not log in as ${user}: ${(err as Error).message})`);
      }
      current = user;
      rl?.setPrompt(`${current}> `);
      return say(`(you are now ${user}@${DOMAIN})`);
    }
    if (text.startsWith('/')) return say('(unknown command: /as USER, /quit, /help)');
    const xmpp = sessions.get(current)!;
    const answered = tty ? undefined : inbox.waitForBot(current, 8000);
    await xmpp.send(xml('message', { type: 'chat', to: BOT_JID, id: randomBytes(6).toString('hex') }, xml('body', {}, text)));
    if (answered && !(await answered)) say(`(no answer from ${BOT_JID} within 8 s)`);
    // Let a burst of several reply messages arrive before the next scripted line.
    if (answered) await quiet(400, 3000);
  }

  /** Waits until no message arrived for `gap` ms (at most `max` ms). */
  async function quiet(gap: number, max: number): Promise<void> {
    const until = Date.now() + max;
    while (Date.now() < until && Date.now() - inbox.lastAt < gap) await new Promise((r) => setTimeout(r, 100));
  }

  async function pump(): Promise<void> {
    if (busy) return;
    busy = true;
    try {
      while (lines.length && !stopping) await handle(lines.shift()!);
    } finally {
      busy = false;
    }
    if (ended && !stopping) {
      await quiet(1500, 5000);
      await shutdown(0);
    } else if (tty && !stopping) {
      rl?.prompt();
    }
  }

  rl.on('line', (line) => {
    lines.push(line);
    void pump();
  });
  rl.on('close', () => {
    if (stopping) return;
    ended = true; // end of piped input, or Ctrl-D
    void pump();
  });
  if (tty) rl.prompt();
}
