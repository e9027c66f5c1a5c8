// The runtime's session rules, on the in-process kit: what an older release stored is continued (or answered
// cleanly), nothing is shown that the store does not hold, and expiry runs on the clock.
import { describe, expect, it } from 'vitest';
import { UnavailableError } from '../../src/domain/errors.js';
import { fingerprint } from '../../src/runtime/session.js';
import type { FormView } from '../../src/commands/contract.js';
import { Kit, KIT_T0, SAMPLE_NUMBERS } from '../kit/kit.js';
import { memoryBackend } from '../kit/memory-backend.js';

const NS = "xmlns='http://jabber.org/protocol/commands'";
const CONFIRM: FormView = {
  kind: 'form',
  form: {
    title: 'Confirm your number',
    instructions: ['+1 416 555 0100 in Toronto, ON.'],
    fields: [{ type: 'boolean', var: 'confirm', label: 'Use this number?', required: true }],
  },
  actions: ['next'],
  defaultAction: 'next',
};

/** A signup session at the confirm step exactly as the first release (session format 1) wrote it. */
function firstReleaseSession(id: string, owner: string, extra: object = {}): object {
  return {
    v: 1,
    id,
    node: 'jabber:iq:register',
    owner,
    step: 'confirm',
    data: { choice: { tel: '+14165550100', rateCentre: 'Toronto', region: 'ON' } },
    history: ['choose'],
    shown: CONFIRM,
    fingerprint: fingerprint('confirm', CONFIRM),
    expiresAt: KIT_T0.getTime() + 1800_000,
    ...extra,
  };
}

async function kit() {
  const backend = memoryBackend();
  const k = new Kit(backend);
  await backend.seed.numbers(SAMPLE_NUMBERS);
  return { k, world: backend.world };
}

describe('sessions written by the first release', () => {
  it('an ad-hoc session is continued where it stood', async () => {
    const { k, world } = await kit();
    world.sessions.set('adhoc old-session-1', JSON.stringify(firstReleaseSession('old-session-1', 'alice@example.org/pc')));
    const reply = await k.adhoc(
      'alice@example.org/pc',
      `<command ${NS} node='jabber:iq:register' sessionid='old-session-1' action='next'><x xmlns='jabber:x:data' type='submit'><field var='confirm'><value>1</value></field></x></command>`,
    );
    expect(reply).toContain("status='executing'");
    expect(reply).toContain('<title>How would you like to register?</title>');
    expect(world.reservations.get('+14165550100')).toBe('old-session-1');
  });

  it('a chat session is continued where it stood', async () => {
    const { k, world } = await kit();
    const old = firstReleaseSession('old-chat-1', 'alice@example.org', { chat: { messageId: 'x.1', shownAt: KIT_T0.getTime() } });
    world.sessions.set('chat alice@example.org', JSON.stringify(old));
    const [m] = await k.chat('alice@example.org/phone', 'y');
    expect(m?.body).toMatch(/^How would you like to register\?\na\) Free trial/);
  });

  it('sessions the previous release wrote (format 2, the whole form as shown) are continued, and stored anew as format 3', async () => {
    const { k, world } = await kit();
    const v2 = (id: string, owner: string, extra: object = {}) => ({ ...firstReleaseSession(id, owner, extra), v: 2, dataVersion: 1 });
    world.sessions.set('adhoc v2-1', JSON.stringify(v2('v2-1', 'alice@example.org/pc')));
    const reply = await k.adhoc(
      'alice@example.org/pc',
      `<command ${NS} node='jabber:iq:register' sessionid='v2-1' action='next'><x xmlns='jabber:x:data' type='submit'><field var='confirm'><value>1</value></field></x></command>`,
    );
    expect(reply).toContain('<title>How would you like to register?</title>');
    expect(JSON.parse(world.sessions.get('adhoc v2-1') ?? '{}')).toMatchObject({ v: 3, s: 'options', o: 'alice@example.org/pc' });

    world.sessions.set('chat bob@example.org', JSON.stringify(v2('v2-2', 'bob@example.org', { chat: { messageId: 'x.1', shownAt: 0 } })));
    world.reservations.delete('+14165550100');
    const [m] = await k.chat('bob@example.org/phone', 'back');
    expect(m?.body).toMatch(/^Choose your phone number:\na\) \+1 416 555 0100/);
  });

  it('one this release cannot read is answered cleanly: session-expired in ad-hoc, a fresh start in chat', async () => {
    const { k, world } = await kit();
    const later = { ...firstReleaseSession('s-9', 'alice@example.org/pc'), v: 99 };
    world.sessions.set('adhoc s-9', JSON.stringify(later));
    expect(await k.adhoc('alice@example.org/pc', `<command ${NS} node='jabber:iq:register' sessionid='s-9' action='next'/>`)).toContain(
      '<session-expired',
    );
    expect(world.sessions.has('adhoc s-9')).toBe(false);

    world.sessions.set(
      'chat alice@example.org',
      JSON.stringify({ ...later, owner: 'alice@example.org', data: { choice: 'not a choice' }, v: 1 }),
    );
    const [m] = await k.chat('alice@example.org/phone', 'y');
    expect(m?.body).toMatch(
      /^Welcome to the account bot: .*\nI could not continue that conversation after an update\. Let us start again\.\nChoose your phone number:/,
    );
  });
});

describe('a session is only ever its owner’s, for its own command', () => {
  it('someone else’s unreadable session is unknown to them and stays where it is', async () => {
    const { k, world } = await kit();
    const later = JSON.stringify({ ...firstReleaseSession('s-8', 'alice@example.org/pc'), v: 99 });
    world.sessions.set('adhoc s-8', later);
    expect(await k.adhoc('mallory@example.org/pc', `<command ${NS} node='jabber:iq:register' sessionid='s-8' action='next'/>`)).toContain(
      '<bad-sessionid',
    );
    expect(world.sessions.get('adhoc s-8')).toBe(later);
  });

  it('an expired session asked for under another node is unknown, and keeps what it holds until its owner returns', async () => {
    const { k, world } = await kit();
    world.sessions.set(
      'adhoc s-7',
      JSON.stringify({
        ...firstReleaseSession('s-7', 'alice@example.org/pc'),
        data: { choice: { tel: '+14165550100', rateCentre: 'Toronto', region: 'ON' }, reserved: '+14165550100' },
      }),
    );
    world.reservations.set('+14165550100', 's-7');
    k.clock.now = new Date(KIT_T0.getTime() + 3600_000);
    expect(await k.adhoc('alice@example.org/pc', `<command ${NS} node='status' sessionid='s-7' action='next'/>`)).toContain(
      '<bad-sessionid',
    );
    expect(world.reservations.get('+14165550100')).toBe('s-7');
    expect(await k.adhoc('alice@example.org/pc', `<command ${NS} node='jabber:iq:register' sessionid='s-7' action='next'/>`)).toContain(
      '<session-expired',
    );
    expect(world.reservations.has('+14165550100')).toBe(false);
  });
});

describe('durable before visible', () => {
  it('a step whose session cannot be stored is not shown: the person hears "temporarily unavailable" instead', async () => {
    const backend = memoryBackend();
    const k = new Kit(backend);
    await backend.seed.numbers(SAMPLE_NUMBERS);
    const save = backend.ports.sessions.save.bind(backend.ports.sessions);
    let refuse = false;
    backend.ports.sessions.save = async (key, doc, ttl) => {
      if (refuse) throw new UnavailableError(new Error('OOM command not allowed when used memory > maxmemory'));
      return save(key, doc, ttl);
    };
    const first = await k.adhoc('alice@example.org/pc', `<command ${NS} node='jabber:iq:register' action='execute'/>`);
    const sid = /sessionid='([^']+)'/.exec(first)?.[1];
    refuse = true;
    // The adapters let the failure through to the connection, which answers service-unavailable; no form goes out.
    await expect(
      k.adhoc(
        'alice@example.org/pc',
        `<command ${NS} node='jabber:iq:register' sessionid='${sid}' action='next'><x xmlns='jabber:x:data' type='submit'><field var='tel'><value>+14165550100</value></field></x></command>`,
      ),
    ).rejects.toBeInstanceOf(UnavailableError);
    await expect(k.chat('bob@example.org/phone', 'hello')).rejects.toBeInstanceOf(UnavailableError);
    refuse = false;
    // The stored session is still the one the person last saw: the choose step.
    expect(
      await k.adhoc(
        'alice@example.org/pc',
        `<command ${NS} node='jabber:iq:register' sessionid='${sid}' action='next'><x xmlns='jabber:x:data' type='submit'><field var='tel'><value>+14165550100</value></field></x></command>`,
      ),
    ).toContain('<title>Confirm your number</title>');
  });
});

describe('a step that rests on a claim', () => {
  it('a listed number taken by someone else before it is chosen: "not available", and the person is still at the list', async () => {
    const { k, world } = await kit();
    const [list] = await k.chat('alice@example.org/phone', 'hi');
    expect(list?.body).toMatch(/^a\) \+1 416 555 0100/m);
    await k.chat('bob@example.org/phone', 'hi');
    await k.chat('bob@example.org/phone', 'a');
    await k.chat('bob@example.org/phone', 'y');
    const bobs = world.reservations.get('+14165550100');
    const [gone] = await k.chat('alice@example.org/phone', 'a');
    expect(gone?.body).toMatch(/^\+1 416 555 0100 is not available\. Please choose another number\./);
    expect(world.reservations.get('+14165550100')).toBe(bobs);
    // Nothing of that choice was stored: her next letter answers the list she is shown now.
    const [confirm] = await k.chat('alice@example.org/phone', 'a');
    expect(confirm?.body).toMatch(/^Use \+1 416 555 01\d\d/);
    expect(confirm?.body).not.toContain('0100');
  });

  it('a hold refused at confirm (taken since) goes back to the list and holds nothing; the hold and the next step are written together', async () => {
    const { k, world } = await kit();
    await k.chat('alice@example.org/phone', 'hi');
    await k.chat('alice@example.org/phone', 'a');
    // Someone else holds it between alice's choice and her confirmation.
    world.reservations.set('+14165550100', 'someone-else');
    const [back] = await k.chat('alice@example.org/phone', 'y');
    expect(back?.body).toMatch(/^Sorry, \+1 416 555 0100 is not available any more\. Please choose another number\./);
    expect(world.reservations.get('+14165550100')).toBe('someone-else');
    const [, chatSession] = [...world.sessions.entries()].find(([key]) => key === 'chat alice@example.org') ?? [];
    // Stored as version 3 keeps it: `s` names the step.
    expect(JSON.parse(chatSession ?? '{}')).toMatchObject({ v: 3, s: 'choose' });
  });
});

describe('expiry runs on the clock', () => {
  it('a session idle past its time lets go of the number it held, once, and the next person can have it', async () => {
    const { k, world } = await kit();
    await k.chat('alice@example.org/phone', 'hi');
    await k.chat('alice@example.org/phone', 'a');
    await k.chat('alice@example.org/phone', 'y');
    expect(world.reservations.has('+14165550100')).toBe(true);
    k.clock.now = new Date(KIT_T0.getTime() + 1801_000);
    const [m] = await k.chat('alice@example.org/phone', 'a');
    expect(m?.body).toMatch(/^That conversation timed out, so I let go of anything it held\./);
    expect(world.reservations.has('+14165550100')).toBe(false);
  });
});

describe('a session keeps ids and answers, not the words it showed', () => {
  const submit = (sid: string, fields: string) =>
    `<command ${NS} node='jabber:iq:register' sessionid='${sid}' action='next'><x xmlns='jabber:x:data' type='submit'>${fields}</x></command>`;

  it('in chat, a reply naming a choice by its words is read against the step as it shows now', async () => {
    const { k, world } = await kit();
    for (const m of ['hi', 'a', 'y']) await k.chat('alice@example.org/phone', m);
    expect(world.sessions.get('chat alice@example.org')).not.toContain('Free trial');
    const [reply] = await k.chat('alice@example.org/phone', 'free');
    expect(reply?.body).toMatch(/is waiting for approval/);
    expect(world.pending.has('alice@example.org')).toBe(true);
  });

  it('in chat, a reply that is no choice gets the menu again, in its words', async () => {
    const { k } = await kit();
    for (const m of ['hi', 'a', 'y']) await k.chat('alice@example.org/phone', m);
    const [again] = await k.chat('alice@example.org/phone', 'zzz');
    expect(again?.body.split('\n')).toEqual([
      'Please reply with a letter from a to b.',
      'How would you like to register?',
      'a) Free trial (our team approves it, usually within a day)',
      'b) Pay by card',
      '+1 416 555 0100 is held for you while you choose.',
      'Reply with a letter, or back.',
    ]);
  });

  it('in ad-hoc, a submission its form refuses is answered with the form in its words', async () => {
    const { k } = await kit();
    const start = await k.adhoc('bob@example.org/pc', `<command ${NS} node='jabber:iq:register' action='execute'/>`);
    const sid = /sessionid='([^']+)'/.exec(start)?.[1] ?? '';
    await k.adhoc('bob@example.org/pc', submit(sid, "<field var='tel'><value>+14165550101</value></field>"));
    const refused = await k.adhoc('bob@example.org/pc', submit(sid, ''));
    expect(refused).toContain("<note type='error'>Use +1 416 555 0101 (Toronto, ON)? is required</note>");
    expect(refused).toContain('<title>Confirm your number</title>');
    expect(refused).toContain("label='Use +1 416 555 0101 (Toronto, ON)?'");
  });
});

describe('a chat reply to a menu that changed since it was shown', () => {
  it('at a list one cannot type into, is not acted on: the menu as it is now is shown, saying it changed', async () => {
    const backend = memoryBackend();
    const k = new Kit(backend, { admins: ['admin@example.org'] });
    await backend.seed.numbers(SAMPLE_NUMBERS);
    for (const m of ['hi', 'a', 'y', 'a']) await k.chat('alice@example.org/phone', m);
    const [list] = await k.chat('admin@example.org/pc', 'approvals');
    expect(list?.body).toContain('alice@example.org for +1 416 555 0100');
    // Another signup comes in meanwhile: the list the admin sees is not the one they would be answering.
    for (const m of ['hi', 'a', 'y', 'a']) await k.chat('bob@example.org/phone', m);
    const [again] = await k.chat('admin@example.org/pc', 'somebody');
    expect(again?.body.split('\n')[0]).toBe('That menu has changed since you saw it, so I did nothing. Here it is again:');
    expect(again?.body).toContain('bob@example.org for');
  });
});
