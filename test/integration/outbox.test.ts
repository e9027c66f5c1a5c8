// The outbox: a message decided while no bot runs (or the bot is killed before sending it) waits in Redis and
// is delivered once the bot is online; a rollover's notice reaches the person through it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRollover } from '../../src/billing/rollover.js';
import { loadCatalogue, SAMPLE_PLANS_FILE } from '../../src/config.js';
import { monthOf } from '../../src/domain/months.js';
import { keys } from '../../src/store/keys.js';
import { AccountStore } from '../../src/store/accounts.js';
import { LeafStore } from '../../src/store/leaves.js';
import { RolloverStore } from '../../src/store/rollover.js';
import { SessionStore } from '../../src/store/sessions.js';
import { type Bed, bed } from './bot-fixture.js';

let b: Bed;
beforeAll(async () => {
  b = await bed();
});
afterAll(async () => b?.close());

describe('the outbox', () => {
  it('a message written while no bot runs is delivered when one comes online, once, and leaves the outbox', async () => {
    const u = await b.user();
    // As a script writes it, in the same step as the change it reports: no bot is running.
    await b.redis.xadd(keys.outbox, '*', 'to', u.bare, 'body', 'Written while the bot was away.', 'why', 'test');
    const bot = await b.start();
    expect((await u.nextMessage({ from: b.botJid })).body).toBe('Written while the bot was away.');
    for (let i = 0; i < 50 && (await b.redis.xlen(keys.outbox)) > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await b.redis.xlen(keys.outbox)).toBe(0);
    await expect(u.nextMessage({ from: b.botJid, timeout: 500 })).rejects.toThrow();
    await bot.stop();
    // A stopped sender holding nothing leaves the consumer group: restarts do not pile up names.
    expect(await b.redis.xinfo('CONSUMERS', keys.outbox, 'sender')).toEqual([]);
  });

  it('an approval queues its message in the same script: decided while no bot runs, it still reaches the person', async () => {
    const u = await b.user();
    // A pending trial signup holding a number, as the request-approval claim leaves it.
    const tel = '+19055550100';
    await b.redis.set(keys.pending(u.bare), JSON.stringify({ jid: u.bare, tel, method: 'trial', at: new Date().toISOString() }));
    await b.redis.zadd(keys.pendingApprovals, Date.now(), u.bare);
    await b.redis.set(keys.reservation(tel), `pending:${u.bare}`);
    const catalogue = loadCatalogue(SAMPLE_PLANS_FILE);
    const plans = { first: catalogue.trial.first.id, second: catalogue.trial.second.id };
    const store = new AccountStore(b.redis);
    // Another number than the one the admin saw: nothing happens, nothing is said.
    expect((await store.approve(u.bare, plans, new Date(), { tel: '+10000000000', assigned: 'no', gone: 'no' })).outcome).toBe('changed');
    const r = await store.approve(u.bare, plans, new Date(), { tel, assigned: 'Approved while the bot was away.', gone: 'gone' });
    expect(r.outcome).toBe('assigned');
    expect(await b.redis.xlen(keys.outbox)).toBe(1);
    const bot = await b.start();
    try {
      expect((await u.nextMessage({ from: b.botJid })).body).toBe('Approved while the bot was away.');
    } finally {
      await bot.stop();
    }
  });

  it("a step's messages are queued by the script that makes its change: only when the claim holds", async () => {
    await b.redis.del(keys.outbox);
    const jid = 'asker@example.org';
    const tel = '+19055550101';
    await b.redis.zadd(keys.numbersAvailable, 0, tel);
    const tells = ['admin1@example.org', 'admin2@example.org'].map((to) => ({
      to,
      body: `${jid} asks for ${tel}`,
      why: 'approval-request',
    }));
    const claim = {
      kind: 'request-approval' as const,
      signup: { jid, tel, method: 'trial', at: new Date().toISOString() },
      holder: 'sess-a',
      at: new Date(),
      tells,
    };
    const sessions = new SessionStore(b.redis);
    const write = { delete: true as const };
    // Someone else holds the number: refused, and nobody is told anything.
    await b.redis.set(keys.reservation(tel), 'sess-other');
    expect(await sessions.commit(claim, { adhoc: 'sess-a' }, write, '')).toBe('unavailable');
    expect(await b.redis.xlen(keys.outbox)).toBe(0);
    await b.redis.set(keys.reservation(tel), 'sess-a');
    expect(await sessions.commit(claim, { adhoc: 'sess-a' }, write, '')).toBe('ok');
    const queued = await b.redis.xrange(keys.outbox, '-', '+');
    expect(queued.map(([, f]) => [f[1], f[3]])).toEqual(tells.map((t) => [t.to, t.body]));
    await b.redis.del(keys.outbox);

    // An offer to pay for an account: its message goes with the offer kept; another main's open offer stays, silent.
    const leaves = new LeafStore(b.redis);
    const offer = (main: string) =>
      leaves.offer(main, 'friend@example.org', 'number', new Date(), [
        { to: 'friend@example.org', body: `${main} offers`, why: 'payer-offer' },
      ]);
    await offer('first@example.org');
    await offer('second@example.org');
    expect((await b.redis.xrange(keys.outbox, '-', '+')).map(([, f]) => f[3])).toEqual(['first@example.org offers']);
    await b.redis.del(keys.outbox);
  });

  it('a rollover run by the CLI while the bot runs reaches the person in chat', async () => {
    const u = await b.user();
    const bot = await b.start();
    try {
      const catalogue = loadCatalogue(SAMPLE_PLANS_FILE);
      const now = new Date();
      await b.redis.sadd(keys.accounts, u.bare);
      await b.redis.set(keys.planAsOf(monthOf(now, -1), u.bare), catalogue.trial.first.id);
      const r = await runRollover(new RolloverStore(b.redis), monthOf(now, 0), { catalogue, tellCharges: false });
      expect(r.outcomes['trial-second']).toBe(1);
      expect((await u.nextMessage({ from: b.botJid })).body).toMatch(/^Your free trial goes on through .*, its second and last month\./);
      // A bot that finds the outbox's consumer group made by an earlier one just goes on (no warning).
      expect(b.logs).toEqual([]);
    } finally {
      await bot.stop();
    }
  });
});
