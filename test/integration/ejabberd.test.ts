// Several bot processes behind one ejabberd (Debian 23.01): it accepts several component connections for one
// domain and gives each stanza to one of them. Two real bot processes share the load, a person's signup hops
// between them and still finishes, and when one is killed the other answers everything at once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ejabberdInstalled, freePort, type RunningEjabberd, startEjabberd } from '../../src/dev/servers.js';
import { NumberStore } from '../../src/store/numbers.js';
import { connectUser, type TestUser } from '../harness/client.js';
import { allocateSlot, redisUrlFor } from '../harness/slot.js';
import { botProcess, command, SAMPLE } from './bot-fixture.js';

const have = ejabberdInstalled();
const BOT = 'bot.localhost';
const SECRET = 'ejabberdsecret';
const REGISTER = 'jabber:iq:register';
const USERS = ['u1', 'u2', 'u3', 'u4', 'u5', 'u6'];

let dir: string;
let ejabberd: RunningEjabberd;
let redisUrl: string;
const users: TestUser[] = [];

/** A bot process (tsx: dist/ may be rebuilt by main.test meanwhile), with the port its metrics are on. */
async function ejabberdBot() {
  const metricsPort = await freePort();
  const bot = botProcess('node_modules/.bin/tsx', ['src/main.ts'], {
    BOT_JID: BOT,
    XMPP_SERVICE: `xmpp://127.0.0.1:${ejabberd.componentPort}`,
    XMPP_SECRET: SECRET,
    REDIS_URL: redisUrl,
    METRICS_PORT: String(metricsPort),
    LOG_FORMAT: 'json',
  });
  await bot.waitFor(/ready as/, 15_000);
  return {
    ...bot,
    /** Steps this process answered, from its own /metrics. */
    async steps(): Promise<number> {
      const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      return text
        .split('\n')
        .filter((l) => l.startsWith('jmp_bot_steps_total{'))
        .reduce((n, l) => n + Number(l.split(' ').at(-1)), 0);
    },
  };
}

/** A whole ad-hoc trial signup, step by step; returns once the request is waiting for approval. */
async function signup(u: TestUser): Promise<void> {
  const first = await command(u, BOT, REGISTER);
  const sessionid = first.sessionid!;
  const tel = first.options('tel')[0]!;
  const confirm = await command(u, BOT, REGISTER, { sessionid, values: { tel } });
  expect(confirm.form?.getChildText('title')).toBe('Confirm your number');
  const options = await command(u, BOT, REGISTER, { sessionid, values: { confirm: 'true' } });
  expect(options.options('activation_method')).toEqual(['trial']);
  const done = await command(u, BOT, REGISTER, { sessionid, action: 'complete', values: { activation_method: 'trial' } });
  expect(done.status).toBe('completed');
}

beforeAll(async () => {
  if (!have) return;
  dir = mkdtempSync(join(tmpdir(), 'jmp-ejabberd-'));
  ejabberd = await startEjabberd({
    dir,
    components: [{ jid: BOT, secret: SECRET }],
    users: USERS.map((user) => ({ user, password: 'pw' })),
  });
  const slot = await allocateSlot();
  redisUrl = redisUrlFor(slot);
  const r = new Redis(redisUrl);
  await new NumberStore(r).import(SAMPLE);
  r.disconnect();
  for (const user of USERS) users.push(await connectUser({ user, c2sPort: ejabberd.c2sPort }));
}, 60_000);

afterAll(async () => {
  await Promise.all(users.map((u) => u.stop().catch(() => undefined)));
  await ejabberd?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!have)('two bot processes behind ejabberd', () => {
  it('share the steps, finish signups that hop between them, and one killed loses nobody', async () => {
    const a = await ejabberdBot();
    const b = await ejabberdBot();
    try {
      // Three people sign up (4 steps each) with both processes up: each step goes to either.
      for (const u of users.slice(0, 3)) await signup(u);
      const [byA, byB] = [await a.steps(), await b.steps()];
      expect(byA + byB).toBe(12);
      // Both took a share (each of 12 steps goes to one at random: all to one is a 1 in 2,048 chance).
      expect(byA).toBeGreaterThan(0);
      expect(byB).toBeGreaterThan(0);

      // One person is half way through when process A dies.
      const u = users[3]!;
      const first = await command(u, BOT, REGISTER);
      const sessionid = first.sessionid!;
      await command(u, BOT, REGISTER, { sessionid, values: { tel: first.options('tel')[0]! } });
      const beforeKill = await b.steps();
      await a.kill('SIGKILL');
      // ejabberd drops the dead connection 20–30 ms after the kill (measured); a stanza sent to it before then
      // is lost as with any crash (the person's client times out and they press again).
      await new Promise((r) => setTimeout(r, 250));
      // Every step from now on is answered at once, by B: the half-way signup goes on, the others start.
      const options = await command(u, BOT, REGISTER, { sessionid, values: { confirm: 'true' } });
      expect(options.options('activation_method')).toEqual(['trial']);
      const done = await command(u, BOT, REGISTER, { sessionid, action: 'complete', values: { activation_method: 'trial' } });
      expect(done.status).toBe('completed');
      for (const v of users.slice(4)) await signup(v);
      expect(await b.steps()).toBe(beforeKill + 2 + 8);
    } finally {
      await Promise.all([a.kill('SIGTERM').catch(() => undefined), b.kill('SIGTERM').catch(() => undefined)]);
    }
  }, 60_000);
});
