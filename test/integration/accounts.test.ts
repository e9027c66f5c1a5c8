// After signup: denial, approval when the number vanished (state 2), registered users, races, Redis outages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { yyyymm } from '../../src/domain/months.js';
import { keys } from '../../src/store/keys.js';
import { NumberStore } from '../../src/store/numbers.js';
import type { TestUser } from '../harness/client.js';
import { bedWithAdmin, chat, command, type Bed } from './bot-fixture.js';

const REGISTER = 'jabber:iq:register';
let b: Bed;
let admin: TestUser;

beforeAll(async () => {
  ({ b, admin } = await bedWithAdmin());
});
afterAll(async () => b?.close());

const say = (u: TestUser, text: string) => chat(u, b.botJid, text);

/** Chat signup up to "waiting for approval"; returns the E.164 number asked for. */
async function requestTrial(u: TestUser, letter = 'a'): Promise<string> {
  const menu = await say(u, 'hi');
  const line = menu.split('\n').find((l) => l.startsWith(`${letter})`))!;
  const tel = `+${/\+([\d ]+)/.exec(line)![1]!.replace(/ /g, '')}`;
  await say(u, letter);
  await say(u, 'y');
  expect(await say(u, 'a')).toMatch(/waiting for approval/);
  await admin.nextMessage({ from: b.botJid });
  return tel;
}

async function decide(u: TestUser, decision: 'approve' | 'deny'): Promise<string> {
  const list = await say(admin, 'approvals');
  const letter = list
    .split('\n')
    .find((l) => l.includes(u.bare))!
    .slice(0, 1);
  expect(await say(admin, letter)).toContain(`Approve ${u.bare} for +1`);
  return say(admin, decision);
}

describe('withdrawing a waiting signup', () => {
  it('cancel in chat withdraws it; at the same moment as an approval, exactly one of the two happens', async () => {
    // A number of its own (first in every list), so what the race decides does not change the other tests' numbers.
    await new NumberStore(b.redis).import([{ tel: '+10005550100', rateCentre: 'Race', region: 'ON' }]);
    const u = await b.user();
    const tel = await requestTrial(u);
    expect(tel).toBe('+10005550100');
    expect(await say(u, 'cancel')).toMatch(/^Withdraw your signup for \+1 [\d ]+\?/);
    // The admin opens the decision while the person is about to say yes.
    const list = await say(admin, 'approvals');
    const letter = list
      .split('\n')
      .find((l) => l.includes(u.bare))!
      .slice(0, 1);
    await say(admin, letter);
    await Promise.all([u.say(b.botJid, 'y'), admin.say(b.botJid, 'approve')]);
    const person = [(await u.nextMessage({ from: b.botJid })).body];
    const decided = (await admin.nextMessage({ from: b.botJid })).body;
    const approved = decided.startsWith('Approved');
    if (approved) {
      // Approved first: the withdrawal finds nothing to withdraw, and the person is told of the approval too.
      person.push((await u.nextMessage({ from: b.botJid })).body);
      expect(person).toContain('Your signup was already decided: you will get (or have had) a message saying how.');
      expect(person.some((m) => m.startsWith('Your signup was approved: your number is '))).toBe(true);
      expect(await b.redis.get(keys.catapultJid(tel))).toBe(u.bare);
      expect(await b.redis.sismember(keys.accounts, u.bare)).toBe(1);
    } else {
      expect(decided).toBe('That signup was already decided.');
      expect(person).toEqual([expect.stringMatching(/is withdrawn, and the number is free again\.$/)]);
      expect(await b.redis.exists(keys.reservation(tel))).toBe(0);
    }
    expect(await b.redis.exists(keys.pending(u.bare))).toBe(0);
  });
});

describe('decisions', () => {
  it('denial frees the number and tells the user', async () => {
    const u = await b.user();
    const tel = await requestTrial(u);
    expect(await decide(u, 'deny')).toMatch(/^Denied/);
    expect((await u.nextMessage({ from: b.botJid })).body).toMatch(/not approved/);
    expect(await b.redis.exists(keys.reservation(tel))).toBe(0);
    expect(await b.redis.exists(keys.pending(u.bare))).toBe(0);
    expect(await say(u, 'hello')).toMatch(/^a\) /m);
  });

  it('approved while the number vanished: the user picks a new number and completes without a new approval', async () => {
    const u = await b.user();
    const tel = await requestTrial(u);
    await b.redis.zrem(keys.numbersAvailable, tel); // the carrier took it back
    expect(await decide(u, 'approve')).toMatch(/was gone/);
    expect((await u.nextMessage({ from: b.botJid })).body).toMatch(/approved, but .* no longer available/);
    expect(await b.redis.get(keys.planAsOf(yyyymm(new Date()), u.bare))).toBe('trial_first_month-v20261101');

    const menu = await say(u, 'signup');
    expect(menu).toMatch(/^a\) /m);
    await say(u, 'a');
    const done = await say(u, 'y');
    expect(done).toMatch(/You are registered: your number is \+1/);
    expect(admin.pendingMessages()).toEqual([]);
    const status = await say(u, 'status');
    expect(status).toMatch(/Free trial until \d{4}-\d{2}-\d{2}/);
  });
});

describe('registered users', () => {
  it('see their number, their status and the command menu; signup tells them their number instead', async () => {
    const u = await b.user();
    const tel = await requestTrial(u, 'b');
    await decide(u, 'approve');
    await u.nextMessage({ from: b.botJid });
    const pretty = tel.replace(/^\+1(\d{3})(\d{3})(\d{4})$/, '+1 $1 $2 $3');
    expect(await say(u, 'number')).toBe(`Your number is ${pretty}.`);
    const menu = await say(u, 'what can you do?');
    expect(menu).toMatch(/^a\) Show my number/m);
    expect(menu).toMatch(/^b\) Account status/m);
    expect(await say(u, 'b')).toMatch(
      new RegExp(`Your number is \\${pretty}, since \\d{4}-\\d{2}-\\d{2}\\. Free trial until \\d{4}-\\d{2}-\\d{2}`),
    );
    const again = await command(u, b.botJid, REGISTER);
    expect(again.status).toBe('completed');
    expect(again.notes.join(' ')).toContain(`your number is ${pretty}`);
  });

  it('an expired account is told when it expired', async () => {
    const u = await b.user();
    const tel = '+19055550100';
    await b.redis.set(keys.catapultJid(tel), u.bare);
    await b.redis.set(keys.jidNumber(u.bare), tel);
    const now = new Date();
    const twoMonthsAgo = yyyymm(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 2, 1)));
    await b.redis.set(keys.planAsOf(twoMonthsAgo, u.bare), 'usd_monthly-v20261101');
    const lastMonthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 10);
    expect(await say(u, 'status')).toContain(`expired on ${lastMonthStart}`);
  });
});

describe('races', () => {
  it('many people confirming the same number at once: exactly one holds it', async () => {
    const users = await Promise.all(Array.from({ length: 8 }, () => b.user()));
    const starts = await Promise.all(users.map((u) => command(u, b.botJid, REGISTER, {})));
    const target = '+16045550100';
    await Promise.all(starts.map((s, i) => command(users[i]!, b.botJid, REGISTER, { sessionid: s.sessionid!, values: { tel: target } })));
    const results = await Promise.all(
      starts.map((s, i) => command(users[i]!, b.botJid, REGISTER, { sessionid: s.sessionid!, values: { confirm: 'true' } })),
    );
    const winners = results.filter((r) => r.options('activation_method').length > 0);
    const losers = results.filter((r) => r.notes.join(' ').match(/not available any more/));
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(users.length - 1);
    const holder = await b.redis.get(keys.reservation(target));
    expect(holder).toBe(winners[0]!.sessionid);
  });
});
