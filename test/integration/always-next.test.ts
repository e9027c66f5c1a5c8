// A real XEP-0050 client library (slixmpp, from Debian's python3-slixmpp) that sends action='next' at every
// stage, as Poezio does, finishes every command over real Prosody: card and trial signup, approval, upgrade,
// top-up, status, usage, number and help.
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { TEST_PASSWORD } from '../harness/global-setup.js';
import { keys } from '../../src/store/keys.js';
import { type PayBed, payBed, registered, USD } from './pay-fixture.js';

const PYTHON = '/usr/bin/python3';
const present = spawnSync(PYTHON, ['-c', 'import slixmpp'], { stdio: 'ignore' }).status === 0;
if (!present) console.warn('always-next: skipped, python3-slixmpp is missing (apt-get install -y python3-slixmpp)');
const SCRIPT = fileURLToPath(new URL('../clients/always-next.py', import.meta.url));

interface Run {
  readonly node: string;
  readonly status: string;
  readonly notes: string[];
  readonly stages: string[];
  readonly result?: Record<string, string>;
  readonly error?: string;
}

/** Log in as `user`@localhost and run these commands, always sending next. */
function slixmpp(bot: string, user: string, runs: { node: string; choose?: Record<string, string> }[]): Promise<Run[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [SCRIPT, '127.0.0.1', String(inject('c2sPort')), `${user}@localhost/slix`, TEST_PASSWORD, bot]);
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.on('close', () => {
      clearTimeout(timer);
      const lines = out.split('\n').filter((l) => l.startsWith('{'));
      if (lines.length !== runs.length) reject(new Error(`slixmpp gave ${lines.length} of ${runs.length} results: ${err.slice(-500)}`));
      else resolve(lines.map((l) => JSON.parse(l) as Run));
    });
    child.stdin.end(JSON.stringify(runs));
  });
}

describe.skipIf(!present)('a client that always sends next (slixmpp)', () => {
  let p: PayBed;
  beforeAll(async () => {
    p = await payBed({ ADMIN_JIDS: 'admin@localhost', ACTIVATION_METHODS: 'trial,credit_card,code' });
    await registered(p.b, 'bob@localhost', '+14385550150', { 0: 'trial_first_month-v20261101', 1: 'trial_second_month-v20261101' });
  });
  afterAll(async () => p?.close());

  it('finishes card and trial signup, approval, upgrade, top-up, status, number and help', async () => {
    const alice = await slixmpp(p.b.botJid, 'alice', [
      { node: 'jabber:iq:register', choose: { activation_method: 'credit_card', plan: USD } },
      { node: 'jabber:iq:register', choose: { activation_method: 'trial' } },
      { node: 'help' },
    ]);
    expect(alice.map((r) => r.status)).toEqual(['completed', 'completed', 'completed']);
    expect(alice[0]?.stages).toEqual([
      'Choose your phone number',
      'Confirm your number',
      'How would you like to register?',
      'Choose a plan',
      'Confirm your payment',
    ]);
    expect(alice[0]?.notes.join(' ')).toMatch(/^Pay by card here: http/);
    expect(alice[1]?.notes.join(' ')).toMatch(/waiting for approval/);

    const admin = await slixmpp(p.b.botJid, 'admin', [{ node: 'pending-approvals', choose: { decision: 'approve' } }]);
    expect(admin[0]).toMatchObject({
      status: 'completed',
      stages: ['Pending approvals', expect.stringMatching(/^Approve alice@localhost/)],
    });
    expect(admin[0]?.notes.join(' ')).toMatch(/^Approved: alice@localhost now has \+1/);

    await registered(p.b, 'admin@localhost', '+14385550151', { 0: USD, 1: USD });
    const paying = await slixmpp(p.b.botJid, 'admin', [{ node: 'top-up' }, { node: 'status' }, { node: 'usage' }]);
    expect(paying.map((r) => r.status)).toEqual(['completed', 'completed', 'completed']);
    expect(paying[0]?.notes.join(' ')).toMatch(/^Pay by card here: http/);
    expect(paying[2]?.stages).toEqual(['Usage: messages and voice minutes, per day']);
    expect(paying[2]?.notes.join(' ')).toMatch(
      /^Usage of \+1 438 555 0151 from \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}\. In total: 0 messages in/,
    );

    const bob = await slixmpp(p.b.botJid, 'bob', [{ node: 'upgrade', choose: { plan: USD } }, { node: 'number' }, { node: 'status' }]);
    expect(bob.map((r) => r.status)).toEqual(['completed', 'completed', 'completed']);
    expect(bob[0]?.stages).toEqual(['Upgrade your account', 'Choose a plan', 'Confirm your payment']);
    expect(bob[1]?.notes).toEqual(['Your number is +1 438 555 0150.']);
    expect(bob[2]?.notes.join(' ')).toMatch(/Free trial until \d{4}-\d{2}-\d{2}/);
  });

  it('finishes making a referral code, and signing up with it at the code step', async () => {
    await registered(p.b, 'admin@localhost', '+14385550151', { 0: USD, 1: USD });
    await p.b.redis.set(keys.balancePrepaid('admin@localhost'), '500');
    const [made] = await slixmpp(p.b.botJid, 'admin', [{ node: 'referral-codes', choose: { do: 'invite' } }]);
    expect(made).toMatchObject({ status: 'completed', stages: ['Your referral codes', 'A new invite code for a friend'] });
    const code = made?.result?.code ?? '';
    expect(code).toMatch(/^[2-9A-Z]{5}-[2-9A-Z]{5}$/);
    const [carol] = await slixmpp(p.b.botJid, 'carol', [{ node: 'jabber:iq:register', choose: { activation_method: 'code', code } }]);
    expect(carol).toMatchObject({
      status: 'completed',
      stages: [
        'Choose your phone number',
        'Confirm your number',
        'How would you like to register?',
        expect.stringMatching(/^Sign up with a code/),
      ],
    });
    expect(carol?.notes.join(' ')).toMatch(/free trial until \d{4}-\d{2}-\d{2}, with no approval needed/);
  });
});
