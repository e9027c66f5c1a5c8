// Referral codes on real Prosody and Redis: the seed's keys as a payer code writes them (read with plain Redis
// commands), two people racing for a code's last use, and wrong codes counted for an hour.
import { activationCharge } from '../../src/domain/catalogue.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../src/store/keys.js';
import { NumberStore } from '../../src/store/numbers.js';
import type { TestUser } from '../harness/client.js';
import { bed, chat, type Bed } from './bot-fixture.js';
import { planKey, registered, USD } from './pay-fixture.js';

let b: Bed;
/** A leaf list written before the bot (JMP's own tools): list 1 of old-main, with one leaf. */
const OLD_MAIN = 'old-main@example.net';
const OLD_LEAF = 'old-leaf@example.net';

beforeAll(async () => {
  b = await bed();
  await b.redis.set(`payment-leaf_jids_index-${OLD_MAIN}`, '1');
  await b.redis.rpush('payment-leaf_jids-1', OLD_MAIN, OLD_LEAF);
  // Every test signs people up: twenty numbers more than the sample inventory.
  await new NumberStore(b.redis).import(
    Array.from({ length: 20 }, (_, i) => ({ tel: `+1437555${String(400 + i).padStart(4, '0')}`, rateCentre: 'Toronto', region: 'ON' })),
  );
  await b.start({ ACTIVATION_METHODS: 'trial,code', REFERRAL_CODES_PER_MONTH: '5', CODE_TRIES_PER_HOUR: '3' });
});
afterAll(async () => b?.close());

const say = (u: TestUser, text: string) => chat(u, b.botJid, text);

/** A paying account (paid this month and next, a balance key) that makes a code in chat: the code. */
async function payerWithCode(tel: string, answers: readonly string[]): Promise<{ main: TestUser; code: string }> {
  const main = await b.user();
  await registered(b, main.bare, tel, { 0: USD, 1: USD });
  await b.redis.set(keys.balancePrepaid(main.bare), '5000');
  await say(main, 'codes');
  let last = '';
  for (const a of answers) last = await say(main, a);
  const code = /^Code: ([2-9A-Z]{5}-[2-9A-Z]{5})$/m.exec(last)?.[1];
  if (!code) throw new Error(`no code in: ${last}`);
  return { main, code };
}

/** A newcomer at the options step, holding the first number offered: that number. */
async function atOptions(u: TestUser): Promise<string> {
  const list = await say(u, 'signup');
  const tel = `+${/a\) \+([\d ]+)/.exec(list)![1]!.replace(/ /g, '')}`;
  await say(u, 'a');
  expect(await say(u, 'y')).toMatch(/or type your code/);
  return tel;
}

describe('a payer code', () => {
  it('makes the new account a leaf: the seed keys, verbatim, and the main pays', async () => {
    // Payer code (a), one person (a), 30 days (b), show my number (a).
    const { main, code } = await payerWithCode('+12505550300', ['a', 'a', 'b', 'a']);
    const leaf = await b.user();
    const tel = await atOptions(leaf);
    expect(await say(leaf, code.toLowerCase())).toMatch(
      /^You are registered: your number is \+1 [\d ]+ \([^)]+\)\. Your account is paid for by \+1 250 555 0300\.$/,
    );
    const n = await b.redis.get(`payment-leaf_jids_index-${main.bare}`);
    expect(n).toMatch(/^\d+$/);
    expect(await b.redis.lrange(`payment-leaf_jids-${n}`, 0, -1)).toEqual([main.bare, leaf.bare]);
    expect(await b.redis.get(`catapult_jid-${tel}`)).toBe(leaf.bare);
    // A leaf has the main's (non-trial) plan for the months the main has paid, and no balance of its own.
    expect(await b.redis.get(planKey(leaf.bare, 0))).toBe(USD);
    expect(await b.redis.get(planKey(leaf.bare, 1))).toBe(USD);
    expect(await b.redis.get(planKey(leaf.bare, 2))).toBeNull();
    expect(await b.redis.exists(`payment-balance_prepaid-${leaf.bare}`)).toBe(0);
    // The main paid the leaf's activation from its balance: the rest of this month pro rata, and next month.
    expect(Number(await b.redis.get(keys.balancePrepaid(main.bare)))).toBe(5000 - activationCharge(299, new Date()).total);
    expect(JSON.parse((await b.redis.get(keys.leafMain(leaf.bare))) ?? '{}')).toEqual({ main: main.bare, show: 'number' });
    expect(await say(leaf, 'status')).toMatch(/Your account is paid for by \+1 250 555 0300\./);
    expect(await say(leaf, 'codes')).toBe('Your account is paid for by someone else, so you cannot make referral codes.');
  });

  it('a second leaf joins the same list; two people racing for the last use: exactly one signs up', async () => {
    // Payer code, up to 3 people (b), 30 days, show my address (b).
    const { main, code } = await payerWithCode('+12505550301', ['a', 'b', 'b', 'b']);
    const first = await b.user();
    await atOptions(first);
    expect(await say(first, code)).toMatch(new RegExp(`Your account is paid for by ${main.bare}\\.$`));
    const n = await b.redis.get(`payment-leaf_jids_index-${main.bare}`);
    // Two uses left; make it one, then two people type it at the same moment.
    await b.redis.hset(keys.code(code.replace('-', '')), 'uses', '1');
    const [x, y] = [await b.user(), await b.user()];
    await atOptions(x);
    await atOptions(y);
    const answers = await Promise.all([say(x, code), say(y, code)]);
    expect(answers.filter((a) => a.startsWith('You are registered'))).toHaveLength(1);
    expect(answers.filter((a) => a.startsWith('That code cannot be used'))).toHaveLength(1);
    const list = await b.redis.lrange(`payment-leaf_jids-${n}`, 0, -1);
    expect(list).toHaveLength(3);
    expect(list[0]).toBe(main.bare);
    expect(new Set(list).size).toBe(3);
    expect(await b.redis.hget(keys.code(code.replace('-', '')), 'uses')).toBe('0');
  });
});

describe('an invite code', () => {
  it('gives the two trial months at once, with no approval, and remembers who invited', async () => {
    const { main, code } = await payerWithCode('+12505550302', ['b', 'a', 'b']);
    const friend = await b.user();
    await atOptions(friend);
    await say(friend, 'c');
    expect(await say(friend, code)).toMatch(/It is a free trial until \d{4}-\d\d-\d\d, with no approval needed\.$/);
    expect(await b.redis.get(planKey(friend.bare, 0))).toBe('trial_first_month-v20261101');
    expect(await b.redis.get(planKey(friend.bare, 1))).toBe('trial_second_month-v20261101');
    expect(await b.redis.exists(keys.pending(friend.bare))).toBe(0);
    expect(await b.redis.get(keys.invitedBy(friend.bare))).toBe(main.bare);
  });
});

describe('wrong codes', () => {
  it('are counted per JID for an hour; past the limit even a good code waits', async () => {
    const { code } = await payerWithCode('+12505550303', ['b', 'a', 'b']);
    const u = await b.user();
    await atOptions(u);
    for (const wrong of ['ZZZZZ-ZZZZZ', 'nothing', 'AAAAA-AAAAA'])
      expect(await say(u, wrong)).toMatch(/^That code cannot be used: it may be mistyped, used up, revoked or expired\./);
    expect(await b.redis.ttl(keys.codeTries(u.bare))).toBeGreaterThan(3500);
    expect(await say(u, code)).toMatch(/^Too many wrong codes: please wait an hour/);
    await b.redis.del(keys.codeTries(u.bare));
    expect(await say(u, code)).toMatch(/^You are registered/);
  });
});

describe('an offer to pay for an existing trial account', () => {
  it('nothing changes until they reply yes; then the trial months are the main’s paid plan and the seed list holds both', async () => {
    const main = await b.user();
    await registered(b, main.bare, '+12505550310', { 0: USD, 1: USD });
    await b.redis.set(keys.balancePrepaid(main.bare), '5000');
    const friend = await b.user();
    await registered(b, friend.bare, '+12505550311', { 0: 'trial_first_month-v20261101', 1: 'trial_second_month-v20261101' });
    await say(main, 'accounts');
    expect(await say(main, 'a')).toMatch(/^Their address \(JID\)\?/);
    await say(main, friend.bare);
    const answer = await say(main, 'a');
    expect(answer).toBe(
      'If that address has a trial account here, they have been asked to accept. You will get a message when they answer.',
    );
    expect((await friend.nextMessage({ from: b.botJid })).body).toMatch(
      /^\+1 250 555 0310 offers to pay for your account here: .* Reply yes to accept/,
    );
    expect(await b.redis.get(planKey(friend.bare, 0))).toBe('trial_first_month-v20261101');
    expect(await b.redis.exists(`payment-leaf_jids_index-${main.bare}`)).toBe(0);
    expect(await say(friend, 'yes')).toMatch(/^Welcome[^\n]*\nAccepted: your account is paid for by \+1 250 555 0310/);
    expect((await main.nextMessage({ from: b.botJid })).body).toBe(
      `${friend.bare} (+1 250 555 0311) accepted: you now pay for their account.`,
    );
    expect(await b.redis.get(planKey(friend.bare, 0))).toBe(USD);
    expect(await b.redis.get(planKey(friend.bare, 1))).toBe(USD);
    const n = await b.redis.get(`payment-leaf_jids_index-${main.bare}`);
    expect(await b.redis.lrange(`payment-leaf_jids-${n}`, 0, -1)).toEqual([main.bare, friend.bare]);
    expect(await b.redis.exists(keys.payerInvite(friend.bare))).toBe(0);
    // The main stops paying for it: the list of one is gone, the leaf keeps its months and is told.
    await say(main, 'accounts');
    expect(await say(main, 'b')).toMatch(/^Stop paying for /);
    expect(await say(main, 'y')).toMatch(/^You no longer pay for /);
    expect((await friend.nextMessage({ from: b.botJid })).body).toMatch(/^\+1 250 555 0310 no longer pays for your account\./);
    expect(await b.redis.exists(`payment-leaf_jids-${n}`, `payment-leaf_jids_index-${main.bare}`, keys.leafMain(friend.bare))).toBe(0);
    expect(await b.redis.get(planKey(friend.bare, 1))).toBe(USD);
  });
});

describe('leaf lists written before the bot', () => {
  it('are taken over at start: their leaves are indexed, and a new list never reuses their N', async () => {
    expect(JSON.parse((await b.redis.get(keys.leafMain(OLD_LEAF))) ?? '{}')).toEqual({ main: OLD_MAIN, show: 'number' });
    expect(Number(await b.redis.get(keys.leafJidsNext))).toBeGreaterThanOrEqual(1);
    const { main, code } = await payerWithCode('+12505550320', ['a', 'a', 'b', 'a']);
    const leaf = await b.user();
    await atOptions(leaf);
    expect(await say(leaf, code)).toMatch(/^You are registered/);
    const n = await b.redis.get(`payment-leaf_jids_index-${main.bare}`);
    expect(n).not.toBe('1');
    expect(await b.redis.lrange('payment-leaf_jids-1', 0, -1)).toEqual([OLD_MAIN, OLD_LEAF]);
  });
});

describe('a leaf whose main no longer has a plan this month', () => {
  it('can still leave, and the main is told', async () => {
    const { main, code } = await payerWithCode('+12505550321', ['a', 'a', 'b', 'a']);
    const leaf = await b.user();
    await atOptions(leaf);
    expect(await say(leaf, code)).toMatch(/^You are registered/);
    await b.redis.del(planKey(main.bare, 0), planKey(main.bare, 1));
    expect(await say(leaf, 'payer')).toMatch(/^Your account is paid for by \+1 250 555 0321\. Stop being paid for by them\?/);
    expect(await say(leaf, 'y')).toMatch(/^Done: they no longer pay for your account\./);
    expect((await main.nextMessage({ from: b.botJid })).body).toMatch(/ left: you no longer pay for that account\.$/);
    expect(await b.redis.exists(keys.leafMain(leaf.bare))).toBe(0);
  });
});
