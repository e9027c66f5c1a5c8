// Signup with XEP-0050 ad-hoc commands through real Prosody and Redis, plus approval by an admin.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { yyyymm } from '../../src/domain/months.js';
import { keys } from '../../src/store/keys.js';
import { xml, type TestUser } from '../harness/client.js';
import { bedWithAdmin, command, type Bed } from './bot-fixture.js';

const REGISTER = 'jabber:iq:register';
let b: Bed;
let admin: TestUser;

beforeAll(async () => {
  ({ b, admin } = await bedWithAdmin());
});
afterAll(async () => b?.close());

async function signupToOptions(user: TestUser, pick = 0) {
  const first = await command(user, b.botJid, REGISTER);
  expect(first.status).toBe('executing');
  const tel = first.options('tel')[pick]!;
  const confirm = await command(user, b.botJid, REGISTER, { sessionid: first.sessionid!, values: { tel } });
  const options = await command(user, b.botJid, REGISTER, { sessionid: first.sessionid!, values: { confirm: 'true' } });
  return { first, confirm, options, tel, sessionid: first.sessionid! };
}

/** The command nodes disco#items lists to this user, in order. */
async function commandNodes(user: TestUser): Promise<unknown[]> {
  const items = await user.iq(
    xml(
      'iq',
      { type: 'get', to: b.botJid },
      xml('query', { xmlns: 'http://jabber.org/protocol/disco#items', node: 'http://jabber.org/protocol/commands' }),
    ),
  );
  return items
    .getChild('query')!
    .getChildren('item')
    .map((i) => i.attrs.node);
}

describe('ad-hoc signup', () => {
  it('lists signup for a newcomer in disco#items, and the commands feature in disco#info', async () => {
    const u = await b.user();
    const info = await u.iq(xml('iq', { type: 'get', to: b.botJid }, xml('query', { xmlns: 'http://jabber.org/protocol/disco#info' })));
    const features = info
      .getChild('query')!
      .getChildren('feature')
      .map((f) => f.attrs.var);
    expect(features).toContain('http://jabber.org/protocol/commands');
    expect(features).toContain('jabber:x:data');
    expect(await commandNodes(u)).toEqual([REGISTER, 'help']);
    expect(await commandNodes(admin)).toEqual([REGISTER, 'referral-codes', 'pending-approvals', 'help']);
  });

  it('offers up to five numbers with labels and an open list, then confirms and offers the trial', async () => {
    const u = await b.user();
    const { first, confirm, options, tel } = await signupToOptions(u);
    expect(first.options('tel').length).toBeGreaterThan(0);
    // Five numbers, then "More numbers" for the next page.
    expect(first.options('tel').length).toBeLessThanOrEqual(6);
    expect(first.options('tel').slice(5)).toEqual(['more:1']);
    expect(first.labels('tel')[0]).toMatch(/^\+1 \d{3} \d{3} \d{4} \(.+, [A-Z]{2}\)$/);
    const telField = first.form!.getChildren('field').find((f) => f.attrs.var === 'tel')!;
    expect(telField.getChild('validate', 'http://jabber.org/protocol/xdata-validate')?.getChild('open')).toBeTruthy();
    expect(confirm.form!.toString()).toContain('Toronto, ON');
    expect(confirm.actions()).toContain('prev');
    expect(options.options('activation_method')).toEqual(['trial']);
    expect(await b.redis.exists(keys.reservation(tel))).toBe(1);
  });

  it('completes a trial signup that waits for approval, tells admins, and approval assigns the number', async () => {
    const u = await b.user();
    const { options, tel, sessionid } = await signupToOptions(u);
    expect(options.actions()).toContain('complete');
    const done = await command(u, b.botJid, REGISTER, { sessionid, action: 'complete', values: { activation_method: 'trial' } });
    expect(done.status).toBe('completed');
    expect(done.notes.join(' ')).toMatch(/waiting for approval/);
    const toAdmin = await admin.nextMessage({ from: b.botJid });
    expect(toAdmin.body).toContain(u.bare);

    const list = await command(admin, b.botJid, 'pending-approvals');
    expect(list.options('jid')).toContain(u.bare);
    const decide = await command(admin, b.botJid, 'pending-approvals', { sessionid: list.sessionid!, values: { jid: u.bare } });
    const approved = await command(admin, b.botJid, 'pending-approvals', {
      sessionid: decide.sessionid!,
      action: 'complete',
      values: { decision: 'approve' },
    });
    expect(approved.status).toBe('completed');
    const told = await u.nextMessage({ from: b.botJid });
    expect(told.body).toMatch(/approved: your number is \+1 \d{3} \d{3} \d{4}/);

    expect(await b.redis.get(keys.catapultJid(tel))).toBe(u.bare);
    expect(await b.redis.get(keys.planAsOf(yyyymm(new Date()), u.bare))).toBe('trial_first_month-v20261101');
    expect(await b.redis.exists(keys.usageStartDay(tel))).toBe(1);
    expect(await b.redis.zscore(keys.numbersAvailable, tel)).toBeNull();

    expect(await commandNodes(u)).toEqual(['number', 'status', 'usage', 'upgrade', 'help']);
    const status = await command(u, b.botJid, 'status');
    expect(status.notes.join(' ')).toMatch(/Free trial until \d{4}-\d{2}-\d{2}/);
  });
});
