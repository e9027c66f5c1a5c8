// Signup by plain chat messages: the same command graph as lettered menus, through real Prosody and Redis.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../src/store/keys.js';
import { xml, type TestUser } from '../harness/client.js';
import { bedWithAdmin, chat, type Bed } from './bot-fixture.js';

let b: Bed;
let admin: TestUser;

beforeAll(async () => {
  ({ b, admin } = await bedWithAdmin());
});
afterAll(async () => b?.close());

const ask = (u: TestUser, text: string) => chat(u, b.botJid, text);

describe('chat signup', () => {
  it('walks a newcomer from any message to "waiting for approval" with letters and y', async () => {
    const u = await b.user();
    const menu = await ask(u, 'hello');
    expect(menu).toMatch(/^a\) \+1 \d{3} \d{3} \d{4} \(.+\)$/m);
    expect(menu).toMatch(/^e\) /m);
    // Five numbers, then the next page.
    expect(menu).toMatch(/^f\) More numbers$/m);
    expect(menu).not.toMatch(/^g\) /m);
    expect(menu).toMatch(/area code/);
    const tel = /^a\) (\+1 [\d ]+) \(/m.exec(menu)![1]!;

    const confirm = await ask(u, 'a');
    expect(confirm).toContain(`Use ${tel} (Toronto, ON)?`);
    expect(confirm).toMatch(/Reply y to confirm, or back\./);

    const options = await ask(u, 'y');
    expect(options).toMatch(/^a\) Free trial/m);

    const done = await ask(u, 'a');
    expect(done).toMatch(/waiting for approval/);
    expect((await admin.nextMessage({ from: b.botJid })).body).toContain(u.bare);
    expect(await b.redis.get(keys.reservation(tel.replace(/ /g, '')))).toBe(`pending:${u.bare}`);

    // Another message while pending: told, not a new signup.
    expect(await ask(u, 'hi again')).toMatch(/waiting for approval/);
  });

  it('welcomes a person on their first message only', async () => {
    const u = await b.user();
    expect(await ask(u, 'hello')).toMatch(/^Welcome to the account bot: .*\nChoose your phone number:/);
    expect(await ask(u, 'cancel')).not.toMatch(/Welcome/);
    expect(await ask(u, 'hello')).toMatch(/^Choose your phone number:/);
    expect(await b.redis.get(keys.contact(u.bare))).toBe('1');
  });

  it('a first message that fails (damaged account data) leaves the welcome for the next one', async () => {
    const u = await b.user();
    await b.redis.set(keys.pending(u.bare), '{not json');
    expect(await ask(u, 'hello')).toBe('Something went wrong on my side with that message. Please try again in a moment.');
    await b.redis.del(keys.pending(u.bare));
    expect(await ask(u, 'hello')).toMatch(/^Welcome to the account bot: /);
  });

  it('a city typed at a number list that changed since it was shown is searched, not refused as a stale menu', async () => {
    const u = await b.user();
    const menu = await ask(u, 'hello');
    const first = /^a\) (\+1 [\d ]+) \(/m.exec(menu)![1]!.replace(/ /g, '');
    // Someone else holds a number of that list meanwhile: the list as it shows now is another one.
    await b.redis.set(keys.reservation(first), 'someone-else', 'EX', 60);
    const found = await ask(u, 'Toronto');
    expect(found).not.toContain('That menu has changed');
    expect(found).toMatch(/^Numbers for “Toronto”/m);
    expect(found).not.toContain(first.replace(/^\+1(\d{3})(\d{3})(\d{4})$/, '+1 $1 $2 $3'));
  });

  it('a step whose account facts cannot be read fails once and leaves the conversation free for the next message', async () => {
    const u = await b.user();
    await ask(u, 'hello');
    // Another tool's damaged write: the step cannot read this person's account.
    await b.redis.set(keys.pending(u.bare), '{not json');
    expect(await ask(u, 'a')).toBe('Something went wrong on my side with that message. Please try again in a moment.');
    await b.redis.del(keys.pending(u.bare));
    // Not "One moment: I am still answering": the failed step let go of the session.
    expect(await ask(u, 'a')).toMatch(/^Use \+1 [\d ]+ \(Toronto, ON\)\?/m);
  });

  it('accepts the option number, a typed number and an area-code search; a bad reply gets a sentence and the same menu', async () => {
    const u = await b.user();
    const menu = await ask(u, 'signup');
    const bad = await ask(u, '12!');
    expect(bad.split('\n')[0]).toMatch(/not a phone number, area code or city/);
    expect(bad).toContain(menu.split('\n').find((l) => l.startsWith('a)')));

    const vancouver = await ask(u, '604');
    expect(vancouver).toMatch(/^a\) \+1 604 555 0100 \(Vancouver, BC\)$/m);
    const byPlace = await ask(u, 'montr');
    expect(byPlace).toMatch(/^a\) \+1 514 555 0100 \(Montréal, QC\)$/m);
    expect(byPlace).not.toMatch(/^b\) /m);

    const typed = await ask(u, '(905) 555-0100');
    expect(typed).toContain('Use +1 905 555 0100 (Hamilton, ON)?');
    // back keeps what was entered: the Montréal search is still shown.
    const back = await ask(u, 'back');
    expect(back).toMatch(/^a\) \+1 514 555 0100/m);
    const second = await ask(u, '1');
    expect(second).toContain('Use +1 514 555 0100 (Montréal, QC)?');
    expect(second).toMatch(/Reply y to confirm/);
    expect(await ask(u, 'maybe')).toMatch(/^Please reply y for yes or n for no\./);
    const cancelled = await ask(u, 'cancel');
    expect(cancelled).toMatch(/Cancelled/);
  });

  it('answers a reply to an older menu with the fresh menu and does nothing', async () => {
    const u = await b.user();
    await ask(u, 'hi');
    const confirm = await ask(u, 'b');
    expect(confirm).toMatch(/Reply y to confirm/);
    // A client that quotes the first menu (XEP-0461) while the bot is at the confirmation.
    await u.send(
      xml(
        'message',
        { type: 'chat', to: b.botJid },
        xml('body', {}, 'y'),
        xml('reply', { xmlns: 'urn:xmpp:reply:0', id: 'some-old-menu' }),
      ),
    );
    const again = (await u.nextMessage({ from: b.botJid })).body;
    expect(again).toMatch(/changed since you saw it/);
    expect(again).toMatch(/Reply y to confirm/);
  });

  it('never answers messages of type error, and ignores bodiless messages', async () => {
    const u = await b.user();
    await u.send(xml('message', { type: 'error', to: b.botJid }, xml('body', {}, 'loop?')));
    await u.send(xml('message', { type: 'chat', to: b.botJid }, xml('active', { xmlns: 'http://jabber.org/protocol/chatstates' })));
    const reply = await ask(u, 'hi');
    expect(reply).toMatch(/^a\) /m);
    await new Promise((r) => setTimeout(r, 200));
    expect(u.pendingMessages()).toEqual([]);
  });
});
