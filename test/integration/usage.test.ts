// Usage (`u`, node usage) over real Prosody and Redis, from the hashes a gateway writes (usage_day-NUMBER-YYYYMMDD),
// in both UIs; a main sees its leaf's, nobody sees anyone else's; and the one-letter shortcuts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../src/store/keys.js';
import { UsageStore } from '../../src/store/usage.js';
import type { TestUser } from '../harness/client.js';
import { type Bed, bed, chat as chatRaw, command } from './bot-fixture.js';
import { USD } from './pay-fixture.js';
import { writeAccount } from './redis-backend.js';

let b: Bed;
let usage: UsageStore;
beforeAll(async () => {
  b = await bed();
  usage = new UsageStore(b.redis);
  await b.start();
});
afterAll(async () => b?.close());

const DAY = 86_400_000;
/** A chat exchange, without the one-time welcome line. */
const chat = async (u: TestUser, to: string, text: string) => (await chatRaw(u, to, text)).replace(/^Welcome to the account bot: .*\n/, '');
const day = (offset: number) => new Date(Date.now() + offset * DAY).toISOString().slice(0, 10);
const compact = (d: string) => d.replace(/-/g, '');

/** A paying account with `tel`, its number used since `since`. */
async function account(tel: string, since = '2025-01-01'): Promise<TestUser> {
  const u = await b.user();
  await writeAccount(
    b.redis,
    u.bare,
    tel,
    since,
    [
      [-1, USD],
      [0, USD],
      [1, USD],
    ],
    new Date(),
  );
  return u;
}

describe('usage in chat', () => {
  it('with no data: the last 31 days, all zero', async () => {
    const u = await account('+12505550401');
    const text = await chat(u, b.botJid, 'u');
    expect(text).toBe(
      `Usage of +1 250 555 0401 from ${day(-30)} to ${day(0)}.\nIn total: 0 messages in, 0 out; 0 voice minutes in, 0 out.\nNo messages or calls in those days.`,
    );
  });

  it('with data over a range across a month end: a row per day used, and the total', async () => {
    const u = await account('+12505550402');
    const tel = '+12505550402';
    // A month end between them (the 1st of this month and the last day of the one before).
    const first = `${day(0).slice(0, 8)}01`;
    const lastOfBefore = new Date(Date.parse(`${first}T00:00:00Z`) - DAY).toISOString().slice(0, 10);
    await usage.record(tel, 'messages_in', 3, lastOfBefore);
    await usage.record(tel, 'messages_out', 2, lastOfBefore);
    await usage.record(tel, 'minutes_in', 7, first);
    await b.redis.hincrby(keys.usageDay(tel, first), 'messages_in', 1); // as a gateway writes it
    const text = await chat(u, b.botJid, `u ${compact(lastOfBefore)} ${compact(first)}`);
    expect(text.split('\n')).toEqual([
      `Usage of +1 250 555 0402 from ${lastOfBefore} to ${first}.`,
      'In total: 4 messages in, 2 out; 7 voice minutes in, 0 out.',
      'Day         Msgs in  Msgs out  Min in  Min out',
      `${lastOfBefore}        3         2       0        0`,
      `${first}        1         0       7        0`,
    ]);
  });

  it('never before the number was first used, and says so', async () => {
    const u = await account('+12505550403', day(-3));
    const text = await chat(u, b.botJid, `u ${compact(day(-10))} ${compact(day(0))}`);
    expect(text).toContain(`from ${day(-3)} to ${day(0)}.`);
    expect(text).toContain(`The number was first used on ${day(-3)}: nothing before that is counted.`);
  });

  it('dates it cannot read get one sentence and the form again', async () => {
    const u = await account('+12505550404');
    const text = await chat(u, b.botJid, 'u yesterday');
    expect(text.split('\n')[0]).toBe(
      'I did not understand “yesterday”. Send u for the last 31 days, or u 20261101 20261130 for those days.',
    );
  });
});

describe("a main and its leaf's usage", () => {
  let main: TestUser;
  let leaf: TestUser;
  let stranger: TestUser;
  beforeAll(async () => {
    main = await account('+12505550410');
    leaf = await account('+12505550411');
    stranger = await account('+12505550412');
    await b.redis.rpush(keys.leafJids('9001'), main.bare, leaf.bare);
    await b.redis.set(keys.leafJidsIndex(main.bare), '9001');
    await b.redis.set(keys.leafMain(leaf.bare), JSON.stringify({ main: main.bare, show: 'number' }));
    await b.redis.set(keys.balancePrepaid(main.bare), '1000');
    await usage.record('+12505550411', 'messages_out', 5, day(-1));
    await usage.record('+12505550412', 'messages_out', 9, day(-1));
  });

  it('in ad-hoc: the main picks the leaf, and gets a reported table with one item per day used', async () => {
    const first = await command(main, b.botJid, 'usage');
    expect(first.options('account')).toEqual(['mine', leaf.bare]);
    const field = (v: string) => first.form!.getChildren('field').find((f) => f.attrs.var === v)!;
    expect(field('start').getChild('validate')?.attrs.datatype).toBe('xs:date');
    expect(field('end').getChildText('value')).toBe(day(0));
    const r = await command(main, b.botJid, 'usage', {
      sessionid: first.sessionid!,
      action: 'complete',
      values: { account: leaf.bare, start: day(-5), end: day(0) },
    });
    expect(r.status).toBe('completed');
    expect(r.notes).toEqual([
      `Usage of ${leaf.bare} (+1 250 555 0411) from ${day(-5)} to ${day(0)}.`,
      'In total: 0 messages in, 5 out; 0 voice minutes in, 0 out.',
    ]);
    const x = r.command!.getChild('x', 'jabber:x:data')!;
    expect(x.attrs.type).toBe('result');
    expect(
      x
        .getChild('reported')!
        .getChildren('field')
        .map((f) => f.attrs.var),
    ).toEqual(['day', 'messages_in', 'messages_out', 'minutes_in', 'minutes_out']);
    const items = x
      .getChildren('item')
      .map((i) => Object.fromEntries(i.getChildren('field').map((f) => [f.attrs.var, f.getChildText('value')])));
    expect(items).toEqual([{ day: day(-1), messages_in: '0', messages_out: '5', minutes_in: '0', minutes_out: '0' }]);
    // Poezio shows neither the table nor the notes of a result: the same as fixed fields, each with a var.
    const fixed = x.getChildren('field').filter((f) => f.attrs.type === 'fixed');
    expect(new Set(fixed.map((f) => f.attrs.var)).size).toBe(fixed.length);
    expect(fixed.map((f) => f.getChildText('value'))).toEqual([
      ...r.notes,
      'Day         Msgs in  Msgs out  Min in  Min out',
      `${day(-1)}        0         5       0        0`,
    ]);
  });

  it("in ad-hoc: another JID's usage cannot be asked for (not one of the choices)", async () => {
    const first = await command(main, b.botJid, 'usage');
    const r = await command(main, b.botJid, 'usage', {
      sessionid: first.sessionid!,
      action: 'complete',
      values: { account: stranger.bare },
    });
    expect(r.status).not.toBe('completed');
    expect(JSON.stringify(r.notes)).not.toContain('9 out');
  });

  it('in chat: u with the leaf; another address is refused the same way whether or not it has an account', async () => {
    expect(await chat(main, b.botJid, `u ${leaf.bare}`)).toMatch(/^Usage of .* \(\+1 250 555 0411\)[\s\S]*5 out/);
    const refused = await chat(main, b.botJid, `u ${stranger.bare}`);
    expect(refused.split('\n')[0]).toMatch(/^Whose usage is not one of the choices/);
    expect(refused).not.toMatch(/9 out/);
    const nobody = await chat(main, b.botJid, 'u nobody@nowhere.example');
    expect(nobody.split('\n')[0]).toBe(refused.split('\n')[0]);
    await chat(main, b.botJid, 'cancel');
  });

  it("a leaf never sees its main's usage", async () => {
    const first = await command(leaf, b.botJid, 'usage');
    expect(first.options('account')).toEqual(['mine']);
    expect(await chat(leaf, b.botJid, `u ${main.bare}`)).toMatch(/^Whose usage is not one of the choices/);
  });
});

describe('shortcuts', () => {
  it('n shows the number, but answers no where a question asks y or n', async () => {
    const u = await account('+12505550420');
    expect(await chat(u, b.botJid, 'n')).toBe('Your number is +1 250 555 0420.');
    const newcomer = await b.user();
    await chat(newcomer, b.botJid, 'signup');
    expect(await chat(newcomer, b.botJid, 'a')).toMatch(/Reply y to confirm/);
    expect(await chat(newcomer, b.botJid, 'n')).toMatch(/^Choose another number, then\./);
  });

  it('help lists what this person may run, with each chat word', async () => {
    const u = await account('+12505550421');
    const r = await command(u, b.botJid, 'help');
    const lines = r.notes.join('\n').split('\n');
    expect(lines.filter((l) => l.startsWith('• '))).toEqual([
      '• Show my number (in chat: "number" or "n")',
      '• Account status (in chat: "status")',
      '• Usage: messages and minutes (in chat: "usage" or "u")',
    ]);
  });
});
