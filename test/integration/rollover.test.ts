// The monthly rollover on a real Redis: trial months, charges from the balance, a balance short by a cent, a main
// and its leaves, idempotence, a run killed half way, a top-up landing mid-run, and the index built from a
// JMP-style Redis written by hand. Months are fixed (no clock): the rollover into February 2027.
import { spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runNotices, runReleases, runRollover } from '../../src/billing/rollover.js';
import { loadCatalogue, SAMPLE_PLANS_FILE } from '../../src/config.js';
import type { RolloverPort } from '../../src/domain/ports.js';
import { reindexAccounts } from '../../src/store/accounts-index.js';
import { keys } from '../../src/store/keys.js';
import { RolloverStore } from '../../src/store/rollover.js';
import { allocateSlot, redisUrlFor } from '../harness/slot.js';

const catalogue = loadCatalogue(SAMPLE_PLANS_FILE);
const rules = { catalogue, tellCharges: true };
const USD = 'usd_monthly-v20261101';
const FIRST = catalogue.trial.first.id;
const SECOND = catalogue.trial.second.id;
const JAN = '202701';
const FEB = '202702';
const MAR = '202703';

let redis: Redis;
let url: string;
let store: RolloverStore;
beforeAll(async () => {
  url = redisUrlFor(await allocateSlot());
  redis = new Redis(url);
  store = new RolloverStore(redis);
});
afterAll(() => redis?.disconnect());
beforeEach(async () => {
  await redis.flushdb();
});

/** An account the bot made: in the index, with a number and plans per month. */
async function account(jid: string, plans: Record<string, string>, balance?: number): Promise<void> {
  await redis.sadd(keys.accounts, jid);
  for (const [month, plan] of Object.entries(plans)) await redis.set(keys.planAsOf(month, jid), plan);
  if (balance !== undefined) await redis.set(keys.balancePrepaid(jid), String(balance));
}

/** A main and its leaves, as the seed's list and the bot's reverse index have them. */
async function leaves(main: string, n: string, list: string[]): Promise<void> {
  await redis.rpush(keys.leafJids(n), main, ...list);
  await redis.set(keys.leafJidsIndex(main), n);
  for (const l of list) await redis.set(keys.leafMain(l), JSON.stringify({ main, show: 'number' }));
}

/** The store, with its apply step wrapped (a run that dies, a top-up or a removal landing at that moment). */
function applying(apply: RolloverPort['apply']): RolloverPort {
  return Object.assign(Object.create(store) as RolloverStore, { apply });
}

/** The store, with `meanwhile` done once just before `jid`'s decision is applied (between the read and the charge). */
function racing(jid: string, meanwhile: () => Promise<unknown>): RolloverPort {
  let once = false;
  return applying(async (j, m, d) => {
    if (!once && j === jid) {
      once = true;
      await meanwhile();
    }
    return store.apply(j, m, d);
  });
}

async function outbox(): Promise<{ to: string; body: string }[]> {
  const entries = (await redis.xrange(keys.outbox, '-', '+')) as [string, string[]][];
  return entries.map(([, f]) => ({ to: f[f.indexOf('to') + 1] as string, body: f[f.indexOf('body') + 1] as string }));
}

const plan = (month: string, jid: string) => redis.get(keys.planAsOf(month, jid));
const balance = async (jid: string) => Number(await redis.get(keys.balancePrepaid(jid)));

describe('the rollover', () => {
  it('takes a trial from its first month to its second, then ends it; each time the person is told', async () => {
    await account('t@example.org', { [JAN]: FIRST });
    const feb = await runRollover(store, FEB, rules);
    expect(feb.outcomes).toEqual({ 'trial-second': 1 });
    expect(await plan(FEB, 't@example.org')).toBe(SECOND);
    const mar = await runRollover(store, MAR, rules);
    expect(mar.outcomes).toEqual({ 'trial-ended': 1 });
    expect(await plan(MAR, 't@example.org')).toBeNull();
    const told = await outbox();
    expect(told.map((m) => m.to)).toEqual(['t@example.org', 't@example.org']);
    expect(told[0]?.body).toMatch(/through February 2027, its second and last month.*upgrade/);
    expect(told[1]?.body).toMatch(/free trial has ended.*upgrade/);
  });

  it('charges a paying account the month from its balance and writes its plan', async () => {
    await account('p@example.org', { [JAN]: USD }, 1000);
    const r = await runRollover(store, FEB, rules);
    expect(r.outcomes).toEqual({ charged: 1 });
    expect(r.charged).toEqual({ usd: 499 });
    expect(await plan(FEB, 'p@example.org')).toBe(USD);
    expect(await balance('p@example.org')).toBe(501);
    expect((await outbox())[0]?.body).toBe('$4.99 was taken from your balance for February 2027 (Monthly (US dollars)). Left: $5.01.');
  });

  it('ends an account whose balance is one cent short, takes nothing, and says what is needed', async () => {
    await account('s@example.org', { [JAN]: USD }, 498);
    const r = await runRollover(store, FEB, rules);
    expect(r.outcomes).toEqual({ ended: 1 });
    expect(await plan(FEB, 's@example.org')).toBeNull();
    expect(await balance('s@example.org')).toBe(498);
    expect((await outbox())[0]?.body).toMatch(/balance \(\$4\.98\) does not cover February 2027 \(\$4\.99\).*top-up/);
  });

  it('keeps a main and its leaves in the order they were added while the balance lasts; the rest end, and all are told', async () => {
    // $4.99 for the main and $2.99 a leaf: enough for the main and two of its three leaves.
    await account('m@example.org', { [JAN]: USD }, 499 + 299 * 2 + 100);
    for (const l of ['l1@example.org', 'l2@example.org', 'l3@example.org']) await account(l, { [JAN]: USD });
    await leaves('m@example.org', '7', ['l1@example.org', 'l2@example.org', 'l3@example.org']);
    const r = await runRollover(store, FEB, rules);
    // The leaves are the main's to decide: they are skipped on their own.
    expect(r.outcomes).toEqual({ short: 1, 'skip:leaf': 3 });
    expect(await plan(FEB, 'm@example.org')).toBe(USD);
    expect(await plan(FEB, 'l1@example.org')).toBe(USD);
    expect(await plan(FEB, 'l2@example.org')).toBe(USD);
    expect(await plan(FEB, 'l3@example.org')).toBeNull();
    expect(await balance('m@example.org')).toBe(100);
    const told = await outbox();
    expect(told.find((m) => m.to === 'l3@example.org')?.body).toMatch(/pays for yours did not cover February 2027/);
    expect(told.find((m) => m.to === 'm@example.org' && /did not cover one account/.test(m.body))?.body).toContain('l3@example.org');
    expect(told.some((m) => m.to === 'l1@example.org' || m.to === 'l2@example.org')).toBe(false);
  });

  it('a main that cannot pay for itself ends, and takes its leaves with it; all are told', async () => {
    // $3.00: not its own $4.99, though it would cover its leaf's $2.99.
    await account('m@example.org', { [JAN]: USD }, 300);
    await account('l@example.org', { [JAN]: USD });
    await leaves('m@example.org', '5', ['l@example.org']);
    const r = await runRollover(store, FEB, rules);
    expect(r.outcomes).toEqual({ ended: 1, 'skip:leaf': 1 });
    expect(await plan(FEB, 'm@example.org')).toBeNull();
    expect(await plan(FEB, 'l@example.org')).toBeNull();
    expect(await balance('m@example.org')).toBe(300);
    const told = await outbox();
    expect(told.map((m) => m.to).sort()).toEqual(['l@example.org', 'm@example.org', 'm@example.org']);
  });

  it('a trial whose second month the approval already wrote is told it is its last, and nothing is written', async () => {
    await account('t@example.org', { [JAN]: FIRST, [FEB]: SECOND });
    const r = await runRollover(store, FEB, rules);
    expect(r.outcomes).toEqual({ 'trial-second': 1 });
    expect(await plan(FEB, 't@example.org')).toBe(SECOND);
    expect((await outbox())[0]?.body).toMatch(/its second and last month/);
    expect((await runRollover(store, FEB, rules)).outcomes).toEqual({ done: 1 });
  });

  it('a balance that is not a whole number is left alone for an operator, and does not keep the run from finishing', async () => {
    await account('odd@example.org', { [JAN]: USD });
    await redis.set(keys.balancePrepaid('odd@example.org'), '4.99');
    const r = await runRollover(store, FEB, rules);
    expect(r.outcomes).toEqual({ 'skip:bad-balance': 1 });
    expect(await plan(FEB, 'odd@example.org')).toBeNull();
  });

  it("a leaf on a main's list whose reverse index names another main is not this main's: the run completes", async () => {
    await account('m@example.org', { [JAN]: USD }, 5000);
    await account('l@example.org', { [JAN]: USD });
    // A list another tool wrote: the leaf's bot-leaf_main names someone else.
    await redis.rpush(keys.leafJids('8'), 'm@example.org', 'l@example.org');
    await redis.set(keys.leafJidsIndex('m@example.org'), '8');
    await redis.set(keys.leafMain('l@example.org'), JSON.stringify({ main: 'other@example.org', show: 'number' }));
    const r = await runRollover(store, FEB, rules);
    expect(r.outcomes.charged).toBe(1);
    expect(r.outcomes.stale).toBeUndefined();
    expect(await balance('m@example.org')).toBe(5000 - 499);
  });

  it('run twice, charges once', async () => {
    await account('p@example.org', { [JAN]: USD }, 1000);
    await runRollover(store, FEB, rules);
    const again = await runRollover(store, FEB, rules);
    expect(again.outcomes).toEqual({ done: 1 });
    expect(await balance('p@example.org')).toBe(501);
    expect(await outbox()).toHaveLength(1);
  });

  it('killed half way and run again, charges everyone exactly once', async () => {
    const jids = Array.from({ length: 40 }, (_, i) => `p${i}@example.org`);
    for (const j of jids) await account(j, { [JAN]: USD }, 1000);
    // A run that dies after 15 accounts were charged.
    let applied = 0;
    const dying = applying(async (j, m, d) => {
      if (applied >= 15) throw new Error('killed');
      applied++;
      return store.apply(j, m, d);
    });
    await expect(runRollover(dying, FEB, rules, { pageSize: 10 })).rejects.toThrow('killed');
    const rest = await runRollover(store, FEB, rules, { pageSize: 10 });
    expect(rest.outcomes).toEqual({ done: 15, charged: 25 });
    for (const j of jids) expect(await balance(j)).toBe(501);
    expect(await outbox()).toHaveLength(40);
  });

  it('a top-up landing between the read and the charge is read again, and charged on the new balance', async () => {
    await account('m@example.org', { [JAN]: USD }, 499);
    await account('l@example.org', { [JAN]: USD });
    await leaves('m@example.org', '3', ['l@example.org']);
    // The person tops up just now.
    const r = await runRollover(
      racing('m@example.org', () => redis.incrby(keys.balancePrepaid('m@example.org'), 1000)),
      FEB,
      rules,
    );
    expect(r.outcomes.charged).toBe(1);
    expect(await plan(FEB, 'l@example.org')).toBe(USD);
    expect(await balance('m@example.org')).toBe(499 + 1000 - 499 - 299);
  });

  it('a leaf that leaves between the read and the charge is not charged for: the main is read again', async () => {
    await account('m@example.org', { [JAN]: USD }, 5000);
    await account('l@example.org', { [JAN]: USD });
    await leaves('m@example.org', '4', ['l@example.org']);
    // The leaf leaves its main just now (as leaf-accounts' remove does).
    const leaving = racing('m@example.org', async () => {
      await redis.del(keys.leafMain('l@example.org'));
      await redis.lrem(keys.leafJids('4'), 0, 'l@example.org');
    });
    await runRollover(leaving, FEB, rules);
    expect(await balance('m@example.org')).toBe(5000 - 499);
    expect(await plan(FEB, 'l@example.org')).toBeNull();
  });

  it('leaves alone accounts that were not active, and months already paid ahead', async () => {
    await account('old@example.org', {}, 5000);
    await account('ahead@example.org', { [JAN]: USD, [FEB]: USD }, 5000);
    const r = await runRollover(store, FEB, rules);
    expect(r.outcomes).toEqual({ 'skip:inactive': 1, 'skip:paid-ahead': 1 });
    expect(await balance('old@example.org')).toBe(5000);
    expect(await balance('ahead@example.org')).toBe(5000);
  });

  it('a dry run decides and counts, and writes nothing', async () => {
    await account('p@example.org', { [JAN]: USD }, 1000);
    const r = await runRollover(store, FEB, rules, { dryRun: true });
    expect(r.outcomes).toEqual({ charged: 1 });
    expect(await balance('p@example.org')).toBe(1000);
    expect(await plan(FEB, 'p@example.org')).toBeNull();
    expect(await outbox()).toHaveLength(0);
  });
});

describe('notices before the month ends', () => {
  // January 2027 has 31 days: the 25th is 7 days before its end (the 25th to the 31st), the 31st its last.
  const at = (day: number) => new Date(Date.UTC(2027, 0, day, 12));

  it('a trial in its second month is told a week before it ends and on its last day, each once', async () => {
    await account('t@example.org', { [JAN]: SECOND });
    expect((await runNotices(store, at(24), catalogue)).queued).toBe(0);
    expect((await runNotices(store, at(25), catalogue)).queued).toBe(1);
    expect((await runNotices(store, at(26), catalogue)).queued).toBe(0);
    expect((await runNotices(store, at(31), catalogue)).queued).toBe(1);
    expect((await runNotices(store, at(31), catalogue)).queued).toBe(0);
    const told = await outbox();
    expect(told.map((m) => m.body)).toEqual([
      'Your free trial ends on 2027-01-31, in 6 days. Send "upgrade" to pay and keep your number.',
      'Your free trial ends today. Send "upgrade" to pay and keep your number.',
    ]);
  });

  it('a main whose balance will not cover next month for it and its leaves is told what to add; one that will, is not', async () => {
    await account('m@example.org', { [JAN]: USD }, 600);
    await account('l@example.org', { [JAN]: USD });
    await leaves('m@example.org', '9', ['l@example.org']);
    await account('rich@example.org', { [JAN]: USD }, 5000);
    await account('ahead@example.org', { [JAN]: USD, [FEB]: USD }, 0);
    expect((await runNotices(store, at(25), catalogue)).queued).toBe(1);
    const [m] = await outbox();
    expect(m?.to).toBe('m@example.org');
    expect(m?.body).toBe(
      'Your balance ($6.00) does not cover February 2027 ($7.98 for your account and the one you pay for). Send "top-up" to add at least $1.98 before the month ends on 2027-01-31, in 6 days, or your number stops working.',
    );
    // The leaf itself is not told: its main decides.
    expect((await outbox()).some((x) => x.to === 'l@example.org')).toBe(false);
  });
});

describe('numbers of ended accounts back to the inventory (NUMBER_RELEASE_DAYS)', () => {
  // Ended with January 2027: its last plan month. Released 30 days after 1 February.
  const at = (iso: string) => new Date(`${iso}T12:00:00Z`);
  async function ended(jid: string, tel: string, outcome: string | null = 'ended'): Promise<void> {
    await account(jid, { [JAN]: USD });
    // What the rollover into February recorded for it.
    if (outcome) await redis.set(keys.rolloverDone(FEB, jid), outcome);
    await redis.set(keys.jidNumber(jid), tel);
    await redis.set(keys.catapultJid(tel), jid);
    await redis.set(keys.usageStartDay(tel), '2026-06-01');
    await redis.hset(keys.numbersInfo, tel, JSON.stringify({ rateCentre: 'Toronto', region: 'ON', place: `toronto, on|${tel}` }));
  }

  it('is off by default: nothing is released or said', async () => {
    await ended('e@example.org', '+14165550177');
    expect(await runReleases(store, at('2027-04-01'), 0)).toEqual({ released: 0, noticed: 0 });
    expect(await redis.get(keys.catapultJid('+14165550177'))).toBe('e@example.org');
  });

  it('tells the person a week and a day before, then gives the number back to the inventory, once', async () => {
    await ended('e@example.org', '+14165550177');
    expect(await runReleases(store, at('2027-02-20'), 30)).toEqual({ released: 0, noticed: 0 });
    expect(await runReleases(store, at('2027-02-24'), 30)).toEqual({ released: 0, noticed: 1 });
    expect(await runReleases(store, at('2027-02-25'), 30)).toEqual({ released: 0, noticed: 0 });
    expect(await runReleases(store, at('2027-03-02'), 30)).toEqual({ released: 0, noticed: 1 });
    expect(await runReleases(store, at('2027-03-03'), 30)).toEqual({ released: 1, noticed: 0 });
    expect(await runReleases(store, at('2027-03-04'), 30)).toEqual({ released: 0, noticed: 0 });
    expect(await redis.get(keys.catapultJid('+14165550177'))).toBeNull();
    expect(await redis.get(keys.jidNumber('e@example.org'))).toBeNull();
    expect(await redis.zscore(keys.numbersAvailable, '+14165550177')).toBe('0');
    expect(await redis.zscore(keys.numbersByPlace, 'toronto, on|+14165550177')).toBe('0');
    expect(await redis.sismember(keys.accounts, 'e@example.org')).toBe(0);
    const told = (await outbox()).map((m) => m.body);
    expect(told[0]).toMatch(/^Your account ended on 2027-02-01; your number \+1 416 555 0177 goes back to the pool on 2027-03-03/);
    expect(told[2]).toMatch(/has gone back to the pool/);
  });

  it('never releases the number of an account the rollover skipped, or one with a renewal payment under way', async () => {
    // No plan for February, but the rollover did not end it (skipped for an operator): nothing recorded.
    await ended('skipped@example.org', '+14165550181', null);
    await ended('paying@example.org', '+14165550182');
    await redis.set(keys.paymentOpen('paying@example.org'), '{}');
    expect(await runReleases(store, at('2027-03-10'), 30)).toEqual({ released: 0, noticed: 0 });
    expect(await redis.get(keys.catapultJid('+14165550181'))).toBe('skipped@example.org');
    expect(await redis.get(keys.catapultJid('+14165550182'))).toBe('paying@example.org');
  });

  it('never releases a number whose account renewed meanwhile, one from before plan keys, or a leaf', async () => {
    await ended('r@example.org', '+14165550178');
    await redis.set(keys.planAsOf('202703', 'r@example.org'), USD); // renewed in March
    await redis.set(keys.jidNumber('old@example.org'), '+14165550179');
    await redis.set(keys.catapultJid('+14165550179'), 'old@example.org');
    await redis.sadd(keys.accounts, 'old@example.org');
    await ended('leaf@example.org', '+14165550180');
    await redis.set(keys.leafMain('leaf@example.org'), JSON.stringify({ main: 'm@example.org', show: 'number' }));
    expect(await runReleases(store, at('2027-03-10'), 30)).toEqual({ released: 0, noticed: 0 });
    expect(await redis.get(keys.catapultJid('+14165550178'))).toBe('r@example.org');
    expect(await redis.get(keys.catapultJid('+14165550179'))).toBe('old@example.org');
    expect(await redis.get(keys.catapultJid('+14165550180'))).toBe('leaf@example.org');
  });
});

describe('npm run cli -- accounts reindex, then rollover', () => {
  function cli(args: string[]): Promise<{ code: number | null; out: string }> {
    return new Promise((resolve) => {
      const child = spawn('node_modules/.bin/tsx', ['bin/cli.ts', ...args], { env: { PATH: process.env.PATH ?? '', REDIS_URL: url } });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      child.on('exit', (code) => resolve({ code, out }));
    });
  }

  it('finds the accounts of a JMP-style Redis written by hand, and rolls them over', async () => {
    // As JMP's own tools left it: numbers pointing at JIDs, plans, a balance, and no bot-accounts index.
    await redis.set('catapult_jid-+14165550100', 'a@example.org');
    await redis.set('catapult_jid-+14165550101', 'b@example.org');
    await redis.set(`payment-plan_as_of_${JAN}-a@example.org`, USD);
    await redis.set('payment-balance_prepaid-a@example.org', '600');
    await redis.set(`payment-plan_as_of_${JAN}-c@example.org`, FIRST);
    const re = await cli(['accounts', 'reindex']);
    expect(re.out.trim()).toBe('accounts index: 3 accounts found, 3 new');
    expect((await redis.smembers(keys.accounts)).sort()).toEqual(['a@example.org', 'b@example.org', 'c@example.org']);
    const dry = await cli(['rollover', '--month', FEB, '--dry-run', '--verbose']);
    expect(dry.code).toBe(0);
    expect(dry.out).toMatch(/a@example.org: charged 499, 1 kept/);
    expect(dry.out).toMatch(
      /rollover into 202702 \(dry run: nothing written\): 3 accounts: charged 1, skip:inactive 1, trial-second 1; charged \$4\.99; 1 notice/,
    );
    expect(await redis.get(`payment-plan_as_of_${FEB}-a@example.org`)).toBeNull();
    const run = await cli(['rollover', '--month', FEB]);
    expect(run.code).toBe(0);
    expect(await redis.get(`payment-plan_as_of_${FEB}-a@example.org`)).toBe(USD);
    expect(await redis.get('payment-balance_prepaid-a@example.org')).toBe('101');
    expect(await redis.get(`payment-plan_as_of_${FEB}-c@example.org`)).toBe(SECOND);
    const again = await cli(['rollover', '--month', FEB]);
    expect(again.out).toMatch(/3 accounts: done 2, skip:inactive 1; charged nothing; 0 notices/);
  });

  it('a month that is not YYYYMM is named', async () => {
    const r = await cli(['rollover', '--month', '2027-02']);
    expect(r.code).toBe(2);
    expect(r.out.trim()).toBe('--month takes YYYYMM, e.g. --month 202701');
  });

  it('reindexing reindexes nothing twice', async () => {
    await redis.set('catapult_jid-+14165550100', 'a@example.org');
    await reindexAccounts(redis);
    expect(await reindexAccounts(redis)).toEqual({ found: 1, added: 0 });
  });
});
