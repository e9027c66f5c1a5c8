// Sessions in Redis written by the first release (session format 1), met by this one over real Prosody: they
// are continued where they stood, and one this release cannot read is answered cleanly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../src/store/keys.js';
import { bed, chat, command, type Bed } from './bot-fixture.js';

const REGISTER = 'jabber:iq:register';
let b: Bed;

beforeAll(async () => {
  b = await bed();
  await b.start();
});
afterAll(async () => b?.close());

const confirm = {
  kind: 'form',
  form: {
    title: 'Confirm your number',
    instructions: ['+1 604 555 0100 in Vancouver, BC.'],
    fields: [{ type: 'boolean', var: 'confirm', label: 'Use this number?', required: true }],
  },
  actions: ['next'],
  defaultAction: 'next',
};

/** What the first release stored for a signup at its confirm step (src/commands/session.ts, SESSION_VERSION 1). */
function firstRelease(id: string, owner: string, tel: string, extra: object = {}): string {
  return JSON.stringify({
    v: 1,
    id,
    node: REGISTER,
    owner,
    step: 'confirm',
    data: { choice: { tel, rateCentre: 'Vancouver', region: 'BC' } },
    history: ['choose'],
    shown: { ...confirm, form: { ...confirm.form, instructions: [`${tel} in Vancouver, BC.`] } },
    fingerprint: 'Zk1mYy1vbGQ',
    expiresAt: Date.now() + 600_000,
    ...extra,
  });
}

describe('sessions of the first release', () => {
  it('an ad-hoc session goes on to the options step and holds the number', async () => {
    const u = await b.user();
    await b.redis.set(keys.session('first-release-1'), firstRelease('first-release-1', u.jid, '+16045550100'), 'EX', 600);
    const r = await command(u, b.botJid, REGISTER, { sessionid: 'first-release-1', values: { confirm: '1' } });
    expect(r.status).toBe('executing');
    expect(r.options('activation_method')).toEqual(['trial']);
    expect(await b.redis.get(keys.reservation('+16045550100'))).toBe('first-release-1');
  });

  it('a chat session goes on too', async () => {
    const u = await b.user();
    await b.redis.set(
      keys.chatSession(u.bare),
      firstRelease('first-release-2', u.bare, '+16045550101', { chat: { messageId: 'x.1', shownAt: 0 } }),
      'EX',
      600,
    );
    expect(await chat(u, b.botJid, 'y')).toMatch(/^How would you like to register\?\na\) Free trial/);
  });

  it('one it cannot read is session-expired in ad-hoc and a fresh start in chat, never a crash', async () => {
    const u = await b.user();
    await b.redis.set(keys.session('from-the-future'), JSON.stringify({ v: 7, id: 'from-the-future', owner: u.jid }), 'EX', 600);
    const r = await command(u, b.botJid, REGISTER, { sessionid: 'from-the-future', values: { confirm: '1' } });
    expect(r.error).toEqual({ stanza: 'not-allowed', specific: 'session-expired' });
    await b.redis.set(keys.chatSession(u.bare), '{"v":1,"garbled', 'EX', 600);
    expect(await chat(u, b.botJid, 'hello')).toMatch(
      /^(Welcome to the account bot: .*\n)?I could not continue that conversation after an update\. Let us start again\.\nChoose your phone number:/,
    );
    expect(await b.redis.get(keys.chatSession(u.bare))).not.toContain('garbled');
  });
});
