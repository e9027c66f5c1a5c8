// Signup that starts on the web site (web-register), over real Prosody and Redis: the site's JID names an address
// and a number; the person is told in chat and goes on in chat or in ad-hoc; the site's answer says nothing
// about the address; only the site's JIDs may run it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeadlineRunner } from '../../src/billing/deadlines.js';
import { DeadlineStore } from '../../src/store/deadlines.js';
import { keys } from '../../src/store/keys.js';
import { NumberStore } from '../../src/store/numbers.js';
import { xml, type TestUser } from '../harness/client.js';
import { type Bed, bed, chat, command, type CommandReply, quietLog } from './bot-fixture.js';
import { registered, USD } from './pay-fixture.js';

const REGISTER = 'jabber:iq:register';
let b: Bed;
let site: TestUser;
let admin: TestUser;

beforeAll(async () => {
  b = await bed();
  // More Toronto numbers than the test sample has (…0102 is its last).
  await new NumberStore(b.redis).import(
    Array.from({ length: 18 }, (_, i) => ({ tel: `+1416555${String(103 + i).padStart(4, '0')}`, rateCentre: 'Toronto', region: 'ON' })),
  );
  site = await b.user();
  admin = await b.user();
  await b.start({ WEB_REGISTER_JIDS: site.bare, ADMIN_JIDS: admin.bare, WEB_REGISTER_MESSAGES_PER_HOUR: '3' });
});
afterAll(async () => b?.close());

/** The site runs web-register: the note it gets back. */
async function webRegister(jid: string, tel: string): Promise<CommandReply> {
  const first = await command(site, b.botJid, 'web-register');
  return command(site, b.botJid, 'web-register', { sessionid: first.sessionid!, action: 'complete', values: { jid, tel } });
}

async function resend(jid: string): Promise<CommandReply> {
  const first = await command(site, b.botJid, 'web-register-resend');
  return command(site, b.botJid, 'web-register-resend', { sessionid: first.sessionid!, action: 'complete', values: { jid } });
}

const SENT = 'A message was sent to that address. +1 416 555 0104 is held for it while it answers.';

describe('web-register, the web site side', () => {
  it('says the same whatever the address is: new, registered, waiting, or nobody at all', async () => {
    const fresh = await b.user();
    const member = await b.user();
    await registered(b, member.bare, '+15145550100', { 0: USD, 1: USD });
    const answers: string[] = [];
    for (const [jid, tel] of [
      [fresh.bare, '+14165550104'],
      [member.bare, '+14165550105'],
      ['nobody-at-all@localhost', '+14165550106'],
    ] as const) {
      const r = await webRegister(jid, tel);
      expect(r.status).toBe('completed');
      answers.push(r.notes.join(' ').replace(/\+1 416 555 010\d/, 'TEL'));
    }
    expect(new Set(answers).size, answers.join(' | ')).toBe(1);
    expect(answers[0]).toBe(SENT.replace('+1 416 555 0104', 'TEL'));
    // Each number is held for the address it was chosen for, whoever that is.
    for (const [jid, tel] of [
      [fresh.bare, '+14165550104'],
      [member.bare, '+14165550105'],
      ['nobody-at-all@localhost', '+14165550106'],
    ])
      expect(await b.redis.get(keys.reservation(tel!))).toBe(`web:${jid}`);
    expect((await fresh.nextMessage({ from: b.botJid })).body).toBe(
      '+1 416 555 0104 (Toronto, ON) was chosen for you on the web site. Reply y to make it your JMP number, or n. It is held for you for 30 minutes.',
    );
    expect((await member.nextMessage({ from: b.botJid })).body).toBe(
      'Someone asked for a number for this address on the web site; you already have +1 514 555 0100, so nothing changes. If it was not you, you can ignore this.',
    );
  });

  it('a number that is not available gets a clear error, and the site can ask again with another', async () => {
    const u = await b.user();
    const other = await b.user();
    // Held for someone else's signup; and one that was never in the inventory.
    await b.redis.set(keys.reservation('+14165550107'), 'some-session');
    for (const tel of ['+14165550107', '+19995550100']) {
      const r = await webRegister(u.bare, tel);
      expect(r.status).toBe('completed');
      expect(r.notes).toEqual([`+1 ${tel.slice(2, 5)} ${tel.slice(5, 8)} ${tel.slice(8)} is not available: choose another number.`]);
    }
    // Chosen for another address: not available for this one.
    expect((await webRegister(other.bare, '+14165550108')).notes).toEqual([
      'A message was sent to that address. +1 416 555 0108 is held for it while it answers.',
    ]);
    expect((await webRegister(u.bare, '(416) 555-0108')).notes).toEqual(['+1 416 555 0108 is not available: choose another number.']);
    // The usual spellings are taken; a second choice for the same address lets go of its first.
    expect((await webRegister(u.bare, '416 555 0109')).notes[0]).toMatch(/^A message was sent/);
    expect((await webRegister(u.bare, '1-416-555-0110')).notes[0]).toMatch(/^A message was sent/);
    expect(await b.redis.exists(keys.reservation('+14165550109'))).toBe(0);
    expect(await b.redis.get(keys.reservation('+14165550110'))).toBe(`web:${u.bare}`);
  });

  it('resend sends the message again, as many times an hour as allowed, and says the same for anyone', async () => {
    const u = await b.user();
    await webRegister(u.bare, '+14165550111');
    const first = (await u.nextMessage({ from: b.botJid })).body;
    expect((await resend(u.bare)).notes).toEqual(['If a number waits for that address, the message was sent again.']);
    expect((await u.nextMessage({ from: b.botJid })).body).toBe(first);
    expect((await resend('nobody-here@localhost')).notes).toEqual(['If a number waits for that address, the message was sent again.']);
    await resend(u.bare);
    await u.nextMessage({ from: b.botJid });
    const limited = await resend(u.bare);
    expect(limited.notes).toEqual(['That address was sent the message too often in the last hour; try again later.']);
    await expect(u.nextMessage({ from: b.botJid, timeout: 500 })).rejects.toThrow();
  });

  it('is forbidden to everyone but the web site, and not listed to them', async () => {
    const u = await b.user();
    for (const node of ['web-register', 'web-register-resend']) expect((await command(u, b.botJid, node)).error?.stanza).toBe('forbidden');
    const items = async (who: TestUser) =>
      (
        await who.iq(
          xml(
            'iq',
            { type: 'get', to: b.botJid },
            xml('query', { xmlns: 'http://jabber.org/protocol/disco#items', node: 'http://jabber.org/protocol/commands' }),
          ),
        )
      )
        .getChild('query')!
        .getChildren('item')
        .map((i) => i.attrs.node as string);
    expect(await items(u)).not.toContain('web-register');
    expect(await items(site)).toEqual(expect.arrayContaining(['web-register', 'web-register-resend']));
  });
});

describe('the person the web site chose a number for', () => {
  it('in chat: y → the options → a free trial waiting for approval', async () => {
    const u = await b.user();
    await webRegister(u.bare, '+14165550112');
    expect((await u.nextMessage({ from: b.botJid })).body).toMatch(/^\+1 416 555 0112 \(Toronto, ON\) was chosen for you/);
    const options = await chat(u, b.botJid, 'y');
    expect(options).toMatch(/^a\) Free trial/m);
    expect(await b.redis.exists(keys.webChoice(u.bare))).toBe(0);
    expect(await chat(u, b.botJid, 'a')).toMatch(/Your request for \+1 416 555 0112 is waiting for approval/);
    expect((await admin.nextMessage({ from: b.botJid })).body).toContain(u.bare);
    expect(await b.redis.get(keys.reservation('+14165550112'))).toBe(`pending:${u.bare}`);
  });

  it('in chat: n → the number is let go, and the number list follows', async () => {
    const u = await b.user();
    await webRegister(u.bare, '+14165550113');
    await u.nextMessage({ from: b.botJid });
    const list = await chat(u, b.botJid, 'n');
    expect(list).toMatch(/^\+1 416 555 0113 \(Toronto, ON\) is let go\. Choose another number, or send cancel\.$/m);
    expect(list).toMatch(/^a\) \+1 /m);
    expect(await b.redis.exists(keys.reservation('+14165550113'))).toBe(0);
    expect(await b.redis.exists(keys.webChoice(u.bare))).toBe(0);
  });

  it('in ad-hoc: signup starts at the chosen number, then goes on as ever', async () => {
    const u = await b.user();
    await webRegister(u.bare, '+14165550114');
    const first = await command(u, b.botJid, REGISTER);
    expect(first.status).toBe('executing');
    expect(first.labels('confirm')).toEqual([]);
    const question = first.form!.getChildren('field').find((f) => f.attrs.var === 'confirm')!.attrs.label;
    expect(question).toBe('+1 416 555 0114 (Toronto, ON) was chosen for you on the web site. Make it your number?');
    const options = await command(u, b.botJid, REGISTER, { sessionid: first.sessionid!, values: { confirm: 'true' } });
    expect(options.options('activation_method')).toContain('trial');
    expect(await b.redis.get(keys.reservation('+14165550114'))).toBe(first.sessionid);
    const done = await command(u, b.botJid, REGISTER, { sessionid: first.sessionid!, values: { activation_method: 'trial' } });
    expect(done.status).toBe('completed');
    expect(await b.redis.get(keys.reservation('+14165550114'))).toBe(`pending:${u.bare}`);
    await admin.nextMessage({ from: b.botJid });
  });
});

describe("the web site's number, in the corners", () => {
  it('"back" after taking it shows the number list, and the number stays this signup\'s', async () => {
    const u = await b.user();
    await webRegister(u.bare, '+14165550115');
    await u.nextMessage({ from: b.botJid });
    expect(await chat(u, b.botJid, 'y')).toMatch(/^a\) Free trial/m);
    const back = await chat(u, b.botJid, 'back');
    expect(back).toMatch(/^Choose your phone number:/m);
    // Still held by this signup (not lost, not the site's any more) until it ends.
    expect(await b.redis.get(keys.reservation('+14165550115'))).toMatch(/^(?!web:)/);
    await chat(u, b.botJid, 'cancel');
    expect(await b.redis.exists(keys.reservation('+14165550115'))).toBe(0);
  });

  it('a number the site changed after it was shown is shown again, not taken unseen', async () => {
    const u = await b.user();
    await webRegister(u.bare, '+14165550116');
    const first = await command(u, b.botJid, REGISTER);
    await webRegister(u.bare, '+14165550117');
    const again = await command(u, b.botJid, REGISTER, {
      sessionid: first.sessionid!,
      values: { confirm: 'true', web_tel: '+14165550116' },
    });
    expect(again.status).toBe('executing');
    const label = again.form!.getChildren('field').find((f) => f.attrs.var === 'confirm')!.attrs.label;
    expect(label).toMatch(/^\+1 416 555 0117 \(Toronto, ON\) was chosen for you/);
    expect(await b.redis.get(keys.reservation('+14165550117'))).toBe(`web:${u.bare}`);
  });

  it('"y" answers the site\'s message even in the middle of another signup step', async () => {
    const u = await b.user();
    await chat(u, b.botJid, 'signup');
    expect(await chat(u, b.botJid, 'a')).toMatch(/Reply y to confirm/);
    await webRegister(u.bare, '+14165550118');
    await u.nextMessage({ from: b.botJid });
    expect(await chat(u, b.botJid, 'y')).toMatch(/^a\) Free trial/m);
    expect(await b.redis.exists(keys.webChoice(u.bare))).toBe(0);
    expect(await b.redis.get(keys.reservation('+14165550118'))).not.toBe(`web:${u.bare}`);
  });

  it('"n" to an offer to pay for my account still declines it (it is not the number shortcut)', async () => {
    const u = await b.user();
    await registered(b, u.bare, '+15145550101', { 0: 'trial_first_month-v20261101', 1: 'trial_second_month-v20261101' });
    await b.redis.set(
      keys.payerInvite(u.bare),
      JSON.stringify({ main: 'payer@localhost', show: 'jid', list: '77', at: Date.now() }),
      'EX',
      3600,
    );
    expect((await chat(u, b.botJid, 'n')).replace(/^Welcome to the account bot: .*\n/, '')).toBe('Declined: your trial goes on as before.');
  });

  it('a person who signed up with another number meanwhile is not told the web hold lapsed', async () => {
    const u = await b.user();
    const first = await command(u, b.botJid, REGISTER);
    const tel = first.options('tel')[0]!;
    await command(u, b.botJid, REGISTER, { sessionid: first.sessionid!, values: { tel } });
    await webRegister(u.bare, '+14165550120');
    await u.nextMessage({ from: b.botJid });
    await command(u, b.botJid, REGISTER, { sessionid: first.sessionid!, values: { confirm: 'true' } });
    expect((await command(u, b.botJid, REGISTER, { sessionid: first.sessionid!, values: { activation_method: 'trial' } })).status).toBe(
      'completed',
    );
    await admin.nextMessage({ from: b.botJid });
    // The site's hold runs out.
    await b.redis.pexpire(keys.reservation('+14165550120'), 1);
    await new Promise((r) => setTimeout(r, 5));
    const at = new Date(Date.now() + 31 * 60_000);
    const runner = new DeadlineRunner({ store: new DeadlineStore(b.redis), now: () => at, log: quietLog, holdSeconds: 1800 });
    const r = await runner.tick();
    expect(r['hold:moved']).toBe(1);
    expect(r['hold:lapsed']).toBeUndefined();
    await expect(u.nextMessage({ from: b.botJid, timeout: 500 })).rejects.toThrow();
  });

  it('asking again is no way round the limit: every message to an address counts', async () => {
    const u = await b.user();
    for (let i = 0; i < 3; i++) expect((await webRegister(u.bare, '+14165550119')).notes[0]).toMatch(/^A message was sent/);
    expect((await webRegister(u.bare, '+14165550119')).notes).toEqual([
      'That address was sent the message too often in the last hour; try again later.',
    ]);
  });
});
