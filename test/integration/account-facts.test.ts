// The account state's one Redis read: it reads only the plan months the state depends on, and the states it
// gives are those of reading every month.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveAccountState } from '../../src/domain/account-state.js';
import { monthOf } from '../../src/domain/months.js';
import { AccountStore } from '../../src/store/accounts.js';
import { keys } from '../../src/store/keys.js';
import { privateRedis } from '../harness/private-redis.js';

let redis: Redis;
// Its own Redis: the tests count the commands a read costs.
let own: Awaited<ReturnType<typeof privateRedis>>;
beforeAll(async () => {
  own = await privateRedis();
  redis = new Redis(own.url);
});
afterAll(async () => {
  redis?.disconnect();
  await own?.stop();
});

const NOW = new Date();
const USD = 'usd_monthly-v20261101';
const TRIAL = new Set(['trial_first_month-v20261101', 'trial_second_month-v20261101']);
const store = () => new AccountStore(redis);
const state = async (jid: string) => deriveAccountState(jid, await store().facts(jid, NOW), NOW, (p) => TRIAL.has(p));

/** How many commands Redis ran for one call (INFO commandstats, those inside Lua included; INFO left out). */
async function commandsOf(call: () => Promise<unknown>): Promise<number> {
  const count = async () => {
    let n = 0;
    for (const m of (await redis.info('commandstats')).matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) if (m[1] !== 'info') n += Number(m[2]);
    return n;
  };
  const before = await count();
  await call();
  return (await count()) - before;
}

async function account(jid: string, tel: string, plans: Record<number, string>): Promise<void> {
  await redis.set(keys.jidNumber(jid), tel);
  await redis.set(keys.catapultJid(tel), jid);
  for (const [offset, plan] of Object.entries(plans)) await redis.set(keys.planAsOf(monthOf(NOW, Number(offset)), jid), plan);
}

describe('account facts', () => {
  it('a newcomer costs a few commands, not one per month of the window', async () => {
    await store().facts('warm-up@example.org', NOW); // the script is loaded once (EVALSHA's NOSCRIPT, then EVAL)
    const n = await commandsOf(() => store().facts('newcomer@example.org', NOW));
    // EVALSHA, and inside it: TYPE, one MGET of the bot's own keys, the balance and this month's plan.
    expect(n).toBe(3);
    expect(await state('newcomer@example.org')).toEqual({ kind: 'new' });
  });

  it('a registered account costs one command more, however many months it reads', async () => {
    await account('counted@example.org', '+15550000009', { [-12]: USD, [-2]: USD, [-1]: USD, 0: USD });
    await redis.set(keys.balancePrepaid('counted@example.org'), '0');
    await store().facts('counted@example.org', NOW);
    // EVALSHA, TYPE, MGET, and one MGET of the number's owner, usage start and the plan months.
    expect(await commandsOf(() => store().facts('counted@example.org', NOW))).toBe(4);
    expect(await state('counted@example.org')).toMatchObject({ kind: 'active', tel: '+15550000009', hasBalance: true });
    expect(await state('payer@example.org')).not.toHaveProperty('hasBalance');
  });

  it('a paying account: paid since the first month of its run, paid through the last month ahead', async () => {
    await account('payer@example.org', '+15550000001', { [-14]: USD, [-3]: USD, [-2]: USD, [-1]: USD, 0: USD, 1: USD });
    const s = await state('payer@example.org');
    expect(s).toMatchObject({ kind: 'active', paidSince: `${monthOf(NOW, -3).slice(0, 4)}-${monthOf(NOW, -3).slice(4)}-01` });
    expect((s as { paidThrough: string }).paidThrough.slice(0, 7)).toBe(`${monthOf(NOW, 1).slice(0, 4)}-${monthOf(NOW, 1).slice(4)}`);
  });

  it('an account that ended long ago: when it ended, and the plan it had', async () => {
    await account('gone@example.org', '+15550000002', { [-20]: USD, [-19]: USD });
    expect(await state('gone@example.org')).toMatchObject({
      kind: 'expired',
      lastPlan: USD,
      expiredOn: `${monthOf(NOW, -18).slice(0, 4)}-${monthOf(NOW, -18).slice(4)}-01`,
    });
  });

  it('a number with no plan in the window predates plan keys: active, as JMP had it', async () => {
    await account('old@example.org', '+15550000003', {});
    expect(await state('old@example.org')).toEqual({ kind: 'active', tel: '+15550000003' });
  });

  it('a trial until the end of its second month', async () => {
    await account('trial@example.org', '+15550000004', { 0: 'trial_first_month-v20261101', 1: 'trial_second_month-v20261101' });
    expect(await state('trial@example.org')).toMatchObject({ kind: 'trial', plan: 'trial_first_month-v20261101' });
  });
});
