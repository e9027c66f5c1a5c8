// The daily billing jobs in the bot: one process of several runs them (a lease a crashed holder loses), a missed
// day is made up at start, and the whole path works: scheduler → rollover → outbox → the person's chat.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dueDay, Scheduler } from '../../src/billing/scheduler.js';
import { loadCatalogue, SAMPLE_PLANS_FILE } from '../../src/config.js';
import type { Log } from '../../src/domain/ports.js';
import { monthOf } from '../../src/domain/months.js';
import { keys } from '../../src/store/keys.js';
import { LeaseStore } from '../../src/store/leases.js';
import { JobMarkStore } from '../../src/store/rollover.js';
import { allocateSlot, redisUrlFor } from '../harness/slot.js';
import { type Bed, bed } from './bot-fixture.js';

const quiet: Log = { info() {}, warn() {}, error() {} };
let redis: Redis;
beforeAll(async () => {
  redis = new Redis(redisUrlFor(await allocateSlot()));
});
afterAll(() => redis?.disconnect());
beforeEach(async () => {
  await redis.flushdb();
});

function scheduler(holder: string, now: Date, jobs: (day: string) => Promise<void>, hourUtc = 3) {
  return new Scheduler({
    hourUtc,
    now: () => now,
    lease: new LeaseStore(redis, keys.schedulerLock),
    holder,
    marks: new JobMarkStore(redis),
    jobs,
    log: quiet,
  });
}

describe('the daily billing jobs', () => {
  it('two processes look at once: one runs them, once', async () => {
    const runs: string[] = [];
    const job = (who: string) => async (day: string) => {
      runs.push(`${who} ${day}`);
      await new Promise((r) => setTimeout(r, 100));
    };
    const now = new Date('2027-02-01T04:00:00Z');
    const [a, b] = [scheduler('a', now, job('a')), scheduler('b', now, job('b'))];
    const ran = await Promise.all([a.tick(), b.tick()]);
    expect(ran.filter(Boolean)).toHaveLength(1);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatch(/ 2027-02-01$/);
    // Done for the day: neither runs them again.
    expect(await Promise.all([a.tick(), b.tick()])).toEqual([false, false]);
    expect(await redis.exists(keys.schedulerLock)).toBe(0);
  });

  it('before the hour the day before is due: a day missed while no bot ran is made up at start', async () => {
    expect(dueDay(new Date('2027-02-05T02:59:00Z'), 3)).toBe('2027-02-04');
    expect(dueDay(new Date('2027-02-05T03:00:00Z'), 3)).toBe('2027-02-05');
    const runs: string[] = [];
    const s = scheduler('a', new Date('2027-02-05T02:00:00Z'), async (d) => void runs.push(d));
    expect(await s.tick()).toBe(true);
    expect(runs).toEqual(['2027-02-04']);
  });

  it('the rollover into a month is due from 00:00 UTC on its 1st, before the daily hour, and runs once', async () => {
    const months: string[] = [];
    const marks = new JobMarkStore(redis);
    const s = new Scheduler({
      hourUtc: 6,
      now: () => new Date('2027-02-01T00:05:00Z'),
      lease: new LeaseStore(redis, keys.schedulerLock),
      holder: 'a',
      marks,
      jobs: async () => {},
      monthly: async (month) => {
        months.push(month);
        await marks.markRan(`rollover-${month}`, 60);
      },
      log: quiet,
    });
    await s.tick();
    await s.tick();
    expect(months).toEqual(['202702']);
  });

  it('a holder that crashed loses the lease when it lapses, and another runs the jobs', async () => {
    await redis.set(keys.schedulerLock, 'crashed', 'PX', 150);
    const runs: string[] = [];
    const s = scheduler('b', new Date('2027-02-01T04:00:00Z'), async (d) => void runs.push(d));
    expect(await s.tick()).toBe(false);
    await new Promise((r) => setTimeout(r, 200));
    expect(await s.tick()).toBe(true);
    expect(runs).toHaveLength(1);
  });

  it('a job that fails is tried again at the next look', async () => {
    let tries = 0;
    const s = scheduler('a', new Date('2027-02-01T04:00:00Z'), async () => {
      if (++tries === 1) throw new Error('Redis away');
    });
    expect(await s.tick()).toBe(false);
    expect(await s.tick()).toBe(true);
    expect(tries).toBe(2);
  });
});

describe('in the bot', () => {
  let b: Bed;
  beforeAll(async () => {
    b = await bed();
  });
  afterAll(async () => b?.close());

  it('at start the bot rolls a trial into its second month, and the person is told in chat', async () => {
    const u = await b.user();
    const catalogue = loadCatalogue(SAMPLE_PLANS_FILE);
    const now = new Date();
    await b.redis.sadd(keys.accounts, u.bare);
    await b.redis.set(keys.planAsOf(monthOf(now, -1), u.bare), catalogue.trial.first.id);
    // The hour of the day's jobs is the current one: they are due now.
    await b.start({ BILLING_SCHEDULER: '1', ROLLOVER_HOUR_UTC: String(now.getUTCHours()) });
    expect((await u.nextMessage({ from: b.botJid })).body).toMatch(/^Your free trial goes on through .*, its second and last month\./);
    expect(await b.redis.get(keys.planAsOf(monthOf(now, 0), u.bare))).toBe(catalogue.trial.second.id);
    expect(await b.redis.exists(keys.ran(`rollover-${monthOf(now, 0)}`))).toBe(1);
  });
});
