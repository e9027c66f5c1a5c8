// XEP-0050 sessions over real Prosody/Redis: prev, cancel, expiry, restart mid-flow, and every bad request.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bot } from '../../src/bot.js';
import { keys } from '../../src/store/keys.js';
import { NumberStore } from '../../src/store/numbers.js';
import { xml } from '../harness/client.js';
import { bed, chat, command, NS_COMMANDS, readReply, type Bed } from './bot-fixture.js';

const REGISTER = 'jabber:iq:register';
let b: Bed;
let bot: Bot;
/** The bot's clock: idle time passes by moving it on (sessions last the default 30 minutes). */
const clock = { now: new Date() };
const now = () => clock.now;
const idle = () => {
  clock.now = new Date(clock.now.getTime() + 31 * 60_000);
};

beforeAll(async () => {
  b = await bed();
  bot = await b.start({}, now);
});
afterAll(async () => b?.close());

describe('ad-hoc sessions', () => {
  it('prev goes back one step keeping the chosen number', async () => {
    const u = await b.user();
    const first = await command(u, b.botJid, REGISTER);
    const tel = first.options('tel')[1]!;
    const confirm = await command(u, b.botJid, REGISTER, { sessionid: first.sessionid!, values: { tel } });
    expect(confirm.actions()).toEqual(['prev', 'next']);
    const back = await command(u, b.botJid, REGISTER, { sessionid: first.sessionid!, action: 'prev' });
    expect(back.status).toBe('executing');
    const telField = back.form!.getChildren('field').find((f) => f.attrs.var === 'tel')!;
    expect(telField.getChildText('value')).toBe(tel);
    expect(back.actions()).toEqual(['next']);
  });

  it('cancel releases the reservation', async () => {
    const u = await b.user();
    const first = await command(u, b.botJid, REGISTER);
    const tel = first.options('tel')[0]!;
    await command(u, b.botJid, REGISTER, { sessionid: first.sessionid!, values: { tel } });
    await command(u, b.botJid, REGISTER, { sessionid: first.sessionid!, values: { confirm: '1' } });
    expect(await b.redis.exists(keys.reservation(tel))).toBe(1);
    const cancelled = await command(u, b.botJid, REGISTER, { sessionid: first.sessionid!, action: 'cancel' });
    expect(cancelled.status).toBe('canceled');
    expect(await b.redis.exists(keys.reservation(tel))).toBe(0);
    const after = await command(u, b.botJid, REGISTER, { sessionid: first.sessionid!, values: { confirm: '1' } });
    expect(after.error).toEqual({ stanza: 'bad-request', specific: 'bad-sessionid' });
  });

  it('a session that ends leaves nothing behind in Redis: neither it, nor its lock, nor the pointer to it', async () => {
    const u = await b.user();
    const first = await command(u, b.botJid, REGISTER);
    expect(await b.redis.exists(keys.currentSession(REGISTER, u.bare))).toBe(1);
    await command(u, b.botJid, REGISTER, { sessionid: first.sessionid!, action: 'cancel' });
    expect(await b.redis.exists(keys.session(first.sessionid!), keys.currentSession(REGISTER, u.bare))).toBe(0);
    // Ended in chat too: another command's pointer is left alone.
    await chat(u, b.botJid, 'signup');
    expect(await b.redis.get(keys.currentSession(REGISTER, u.bare))).toBe('chat');
    await chat(u, b.botJid, 'cancel');
    expect(await b.redis.exists(keys.chatSession(u.bare), keys.currentSession(REGISTER, u.bare))).toBe(0);
    expect(await b.redis.keys(`bot-session_lock-*${first.sessionid!}*`)).toEqual([]);
  });

  it('a held number is not offered to others, and an idle session expires, releases it and answers session-expired', async () => {
    const u = await b.user();
    const other = await b.user();
    const first = await command(u, b.botJid, REGISTER);
    const tel = first.options('tel')[0]!;
    await command(u, b.botJid, REGISTER, { sessionid: first.sessionid!, values: { tel } });
    await command(u, b.botJid, REGISTER, { sessionid: first.sessionid!, values: { confirm: 'true' } });
    const theirs = await command(other, b.botJid, REGISTER);
    expect(theirs.options('tel')).not.toContain(tel);
    idle();
    const late = await command(u, b.botJid, REGISTER, {
      sessionid: first.sessionid!,
      values: { activation_method: 'trial' },
      action: 'complete',
    });
    expect(late.error).toEqual({ stanza: 'not-allowed', specific: 'session-expired' });
    expect(await b.redis.exists(keys.reservation(tel))).toBe(0);
    expect((await command(other, b.botJid, REGISTER)).options('tel')).toContain(tel);
  });

  it('a restart of the bot mid-flow loses nobody: the session continues from Redis', async () => {
    const u = await b.user();
    const first = await command(u, b.botJid, REGISTER);
    const tel = first.options('tel')[2]!;
    await command(u, b.botJid, REGISTER, { sessionid: first.sessionid!, values: { tel } });
    await bot.stop();
    bot = await b.start({}, now);
    const options = await command(u, b.botJid, REGISTER, { sessionid: first.sessionid!, values: { confirm: 'true' } });
    expect(options.status).toBe('executing');
    expect(options.options('activation_method')).toEqual(['trial']);
    const done = await command(u, b.botJid, REGISTER, {
      sessionid: first.sessionid!,
      action: 'complete',
      values: { activation_method: 'trial' },
    });
    expect(done.status).toBe('completed');
    expect(await b.redis.get(keys.reservation(tel))).toBe(`pending:${u.bare}`);
  });
});

describe('chat sessions', () => {
  const say = (u: Awaited<ReturnType<Bed['user']>>, text: string) => chat(u, b.botJid, text);

  it('survive a restart of the bot, and an idle one lets go of its number and starts again without acting on the reply', async () => {
    const u = await b.user();
    const menu = await say(u, 'hi');
    const tel = `+${/^a\) \+([\d ]+) \(/m.exec(menu)![1]!.replace(/ /g, '')}`;
    await say(u, 'a');
    await bot.stop();
    bot = await b.start({}, now);
    expect(await say(u, 'y')).toMatch(/^a\) Free trial/m);
    expect(await b.redis.exists(keys.reservation(tel))).toBe(1);

    idle();
    const late = await say(u, 'a');
    expect(late).toMatch(/timed out/);
    expect(late).toMatch(/^a\) \+1/m);
    expect(await b.redis.exists(keys.reservation(tel))).toBe(0);
    expect(await b.redis.exists(keys.pending(u.bare))).toBe(0);
  });
});

describe('a session abandoned by its client (Profanity’s /form cancel sends no XEP-0050 cancel)', () => {
  it('the muc#owner cancel gets an error, and starting the command again lets go of the old hold', async () => {
    const u = await b.user();
    const first = await command(u, b.botJid, REGISTER);
    const tel = first.options('tel')[0]!;
    await command(u, b.botJid, REGISTER, { sessionid: first.sessionid!, values: { tel } });
    await command(u, b.botJid, REGISTER, { sessionid: first.sessionid!, values: { confirm: 'true' } });
    expect(await b.redis.get(keys.reservation(tel))).toBe(first.sessionid);
    // What Profanity sends for /form cancel.
    const cancel = await u.iq(
      xml(
        'iq',
        { type: 'set', to: b.botJid },
        xml('query', { xmlns: 'http://jabber.org/protocol/muc#owner' }, xml('x', { xmlns: 'jabber:x:data', type: 'cancel' })),
      ),
    );
    expect(cancel.attrs.type).toBe('error');
    expect(cancel.getChild('error')?.getChild('service-unavailable', 'urn:ietf:params:xml:ns:xmpp-stanzas')).toBeTruthy();
    // The same person starts signup again: the old session is superseded, its number free and offered again.
    const again = await command(u, b.botJid, REGISTER);
    expect(again.sessionid).not.toBe(first.sessionid);
    expect(await b.redis.exists(keys.reservation(tel))).toBe(0);
    expect(again.options('tel')).toContain(tel);
    const old = await command(u, b.botJid, REGISTER, { sessionid: first.sessionid!, values: { activation_method: 'trial' } });
    expect(old.error?.specific).toBe('bad-sessionid');
  });
});

describe('two requests at once on one session', () => {
  it('complete (trial) and cancel sent together: exactly one acts, and what is stored agrees with what was said', async () => {
    // Each round may leave a signup waiting on a number: numbers of their own, so the other tests keep theirs.
    await new NumberStore(b.redis).import(
      Array.from({ length: 5 }, (_, i) => ({ tel: `+1100555010${i}`, rateCentre: 'Race', region: 'ON' })),
    );
    for (let round = 0; round < 5; round++) {
      const u = await b.user();
      const first = await command(u, b.botJid, REGISTER);
      const tel = `+1100555010${round}`;
      await command(u, b.botJid, REGISTER, { sessionid: first.sessionid!, values: { tel } });
      await command(u, b.botJid, REGISTER, { sessionid: first.sessionid!, values: { confirm: 'true' } });
      const [trial, cancel] = await Promise.all([
        command(u, b.botJid, REGISTER, { sessionid: first.sessionid!, action: 'complete', values: { activation_method: 'trial' } }),
        command(u, b.botJid, REGISTER, { sessionid: first.sessionid!, action: 'cancel' }),
      ]);
      const acted = [trial.status === 'completed', cancel.status === 'canceled'];
      expect(acted.filter(Boolean), `${trial.stanza.toString()} ${cancel.stanza.toString()}`).toHaveLength(1);
      const refused = acted[0] ? cancel : trial;
      expect(refused.error?.specific).toBe('bad-sessionid');
      expect(await b.redis.exists(keys.pending(u.bare))).toBe(acted[0] ? 1 : 0);
    }
  });
});

describe('no oracle', () => {
  it('a number someone else holds gets the same answer at the same step as one that never existed', async () => {
    const holder = await b.user();
    const first = await command(holder, b.botJid, REGISTER);
    const held = first.options('tel')[0]!;
    await command(holder, b.botJid, REGISTER, { sessionid: first.sessionid!, values: { tel: held } });
    await command(holder, b.botJid, REGISTER, { sessionid: first.sessionid!, values: { confirm: 'true' } });
    const prober = await b.user();
    const probe = await command(prober, b.botJid, REGISTER);
    const answer = async (tel: string) => {
      const r = await command(prober, b.botJid, REGISTER, { sessionid: probe.sessionid!, values: { tel } });
      return { title: r.form?.getChildText('title'), notes: r.notes.map((n) => n.replace(/\+1 \d{3} \d{3} \d{4}/, 'NUMBER')) };
    };
    const forHeld = await answer(held);
    expect(forHeld).toEqual({ title: 'Choose your phone number', notes: ['NUMBER is not available. Please choose another number.'] });
    expect(await answer('+16135559999')).toEqual(forHeld);
  });
});

describe('bad requests get the XEP-0050 error, and the bot keeps working', () => {
  it('no action attribute on a follow-up stage means execute (the default action)', async () => {
    const u = await b.user();
    const first = await command(u, b.botJid, REGISTER);
    const confirm = await command(u, b.botJid, REGISTER, {
      sessionid: first.sessionid!,
      action: null,
      values: { tel: first.options('tel')[0]! },
    });
    expect(confirm.status).toBe('executing');
    expect(confirm.form?.toString()).toContain('confirm');
  });

  it('unknown node → item-not-found; admin node for a non-admin → forbidden', async () => {
    const u = await b.user();
    expect((await command(u, b.botJid, 'no-such-command')).error).toEqual({ stanza: 'item-not-found', specific: undefined });
    expect((await command(u, b.botJid, 'menu')).error?.stanza).toBe('item-not-found');
    expect((await command(u, b.botJid, 'pending-approvals')).error?.stanza).toBe('forbidden');
  });

  it("someone else's or an unknown sessionid → bad-sessionid", async () => {
    const u = await b.user();
    const thief = await b.user();
    const first = await command(u, b.botJid, REGISTER);
    const stolen = await command(thief, b.botJid, REGISTER, { sessionid: first.sessionid!, values: { tel: first.options('tel')[0]! } });
    expect(stolen.error).toEqual({ stanza: 'bad-request', specific: 'bad-sessionid' });
    expect((await command(u, b.botJid, REGISTER, { sessionid: 'made-up' })).error?.specific).toBe('bad-sessionid');
    // The owner's session is untouched by the attempt.
    const mine = await command(u, b.botJid, REGISTER, { sessionid: first.sessionid!, values: { tel: first.options('tel')[0]! } });
    expect(mine.status).toBe('executing');
  });

  it('an action not allowed here → bad-action; an undefined action → malformed-action', async () => {
    const u = await b.user();
    const first = await command(u, b.botJid, REGISTER);
    expect((await command(u, b.botJid, REGISTER, { sessionid: first.sessionid!, action: 'prev' })).error?.specific).toBe('bad-action');
    expect((await command(u, b.botJid, REGISTER, { sessionid: first.sessionid!, action: 'complete' })).error?.specific).toBe('bad-action');
    expect((await command(u, b.botJid, REGISTER, { sessionid: first.sessionid!, action: 'jump' })).error?.specific).toBe(
      'malformed-action',
    );
  });

  it('a form missing a required field, or with a value not among the options, shows the same step with an error note', async () => {
    const u = await b.user();
    const first = await command(u, b.botJid, REGISTER);
    const empty = await command(u, b.botJid, REGISTER, { sessionid: first.sessionid!, values: {} });
    expect(empty.status).toBe('executing');
    expect(empty.notes.join(' ')).toMatch(/Choose a number, or type an area code or city/);
    const tel = first.options('tel')[0]!;
    await command(u, b.botJid, REGISTER, { sessionid: first.sessionid!, values: { tel } });
    const options = await command(u, b.botJid, REGISTER, { sessionid: first.sessionid!, values: { confirm: 'true' } });
    const wrong = await command(u, b.botJid, REGISTER, {
      sessionid: first.sessionid!,
      action: 'complete',
      values: { activation_method: 'free-money' },
    });
    expect(wrong.status).toBe('executing');
    expect(wrong.notes.join(' ')).toMatch(/not one of the choices/);
    expect(wrong.options('activation_method')).toEqual(options.options('activation_method'));
    const notBool = await command(u, b.botJid, REGISTER, { sessionid: first.sessionid!, action: 'prev' });
    const garbled = await command(u, b.botJid, REGISTER, { sessionid: notBool.sessionid!, values: { confirm: 'perhaps' } });
    expect(garbled.notes.join(' ')).toMatch(/yes or no/);
  });

  it('a typed number that is taken or unknown gets the same answer (no one learns whose it is)', async () => {
    const u = await b.user();
    const first = await command(u, b.botJid, REGISTER);
    const unknown = await command(u, b.botJid, REGISTER, { sessionid: first.sessionid!, values: { tel: '+12125559999' } });
    await b.redis.set(keys.catapultJid('+16045550101'), 'someone@example.org');
    await b.redis.zrem(keys.numbersAvailable, '+16045550101');
    const taken = await command(u, b.botJid, REGISTER, { sessionid: first.sessionid!, values: { tel: '+16045550101' } });
    const strip = (s: string) => s.replace(/\+1 \d{3} \d{3} \d{4}/g, 'N');
    expect(strip(unknown.notes.join(' '))).toBe(strip(taken.notes.join(' ')));
    expect(unknown.notes.join(' ')).toMatch(/not available/);
  });

  it('garbage stanzas never crash the process', async () => {
    const u = await b.user();
    const garbage = [
      xml('iq', { type: 'set', to: b.botJid }, xml('command', { xmlns: NS_COMMANDS })),
      xml(
        'iq',
        { type: 'set', to: b.botJid },
        xml('command', { xmlns: NS_COMMANDS, node: REGISTER, sessionid: 'x', action: 'next' }, xml('x', { xmlns: 'jabber:x:data' })),
      ),
      xml('iq', { type: 'get', to: b.botJid }, xml('query', { xmlns: 'urn:example:nothing' })),
      xml('iq', { type: 'set', to: b.botJid }, xml('a'), xml('b')),
    ];
    for (const g of garbage) {
      const res = readReply(await u.iq(g));
      expect(res.stanza.attrs.type).toBe('error');
    }
    await u.send(xml('message', { to: b.botJid }, xml('body')));
    const ok = await command(u, b.botJid, REGISTER);
    expect(ok.status).toBe('executing');
  });
});
