// Deadlines that must cause a message (bot-deadlines), on real Redis, Prosody and the Stripe stand-in: a payment
// link whose `checkout.session.expired` never comes, and a signup's hold on a number that nobody went on with.
// The runner gets a clock of its own; Redis's own TTLs are made to lapse with PEXPIRE (no sleeping for an hour).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeadlineRunner } from '../../src/billing/deadlines.js';
import { loadCatalogue, SAMPLE_PLANS_FILE } from '../../src/config.js';
import { formatTel } from '../../src/domain/phone.js';
import { PaymentService } from '../../src/payments/service.js';
import { stripeGateway } from '../../src/payments/stripe.js';
import { DeadlineStore, holdDeadline, paymentDeadline } from '../../src/store/deadlines.js';
import { keys } from '../../src/store/keys.js';
import { PaymentStore } from '../../src/store/payments.js';
import type { TestUser } from '../harness/client.js';
import { command, quietLog } from './bot-fixture.js';
import { adhocSignupToSummary, confirmPay, type PayBed, payBed, REGISTER } from './pay-fixture.js';

let p: PayBed;
beforeAll(async () => {
  p = await payBed();
});
afterAll(async () => p?.close());

const MINUTE = 60_000;

/** A runner as the bot has it, on the same Redis and Stripe, with its clock at `at`. */
function runnerAt(at: () => Date): DeadlineRunner {
  const catalogue = loadCatalogue(SAMPLE_PLANS_FILE);
  const payments = new PaymentService({
    store: new PaymentStore(p.b.redis),
    gateway: stripeGateway(
      { secretKey: p.env.STRIPE_SECRET_KEY!, webhookSecret: p.env.STRIPE_WEBHOOK_SECRET!, apiUrl: new URL(p.stripe.url) },
      quietLog,
    ),
    catalogue,
    trialPlans: { first: catalogue.trial.first.id, second: catalogue.trial.second.id },
    admins: [],
    publicUrl: p.web,
    now: at,
    newToken: () => 'unused-by-a-lapse',
    accountState: () => Promise.reject(new Error('a lapse reads no account')),
    log: quietLog,
  });
  return new DeadlineRunner({ store: new DeadlineStore(p.b.redis), payments, now: at, log: quietLog, holdSeconds: 1800 });
}

async function silence(u: TestUser): Promise<void> {
  await expect(u.nextMessage({ from: p.b.botJid, timeout: 500 })).rejects.toThrow();
}

/** Let a key's real TTL run out now, as an hour passing would. */
async function lapse(key: string): Promise<void> {
  await p.b.redis.pexpire(key, 1);
  await new Promise((r) => setTimeout(r, 5));
}

/** Up to the options step: the number is held for this session. */
async function holdANumber(u: TestUser) {
  const first = await command(u, p.b.botJid, REGISTER);
  const sessionid = first.sessionid!;
  const tel = first.options('tel')[0]!;
  await command(u, p.b.botJid, REGISTER, { sessionid, values: { tel } });
  const options = await command(u, p.b.botJid, REGISTER, { sessionid, values: { confirm: 'true' } });
  expect(options.options('activation_method').length).toBeGreaterThan(0);
  return { sessionid, tel, member: holdDeadline(tel, sessionid, u.bare) };
}

describe('a payment link whose Stripe event never comes', () => {
  it('is closed at its deadline: expired at Stripe, the number freed, the person told once', async () => {
    const u = await p.b.user();
    const { sessionid, tel } = await adhocSignupToSummary(p, u);
    const { session } = await confirmPay(p, u, REGISTER, sessionid);
    const paymentId = (await p.b.redis.get(keys.reservation(tel)))!.slice('pay:'.length);
    const member = paymentDeadline(paymentId);
    const due = Number(await p.b.redis.zscore(keys.deadlines, member));
    // When its link and hold end: the Checkout Session's life and the margin for late events.
    expect(Math.abs(due - (session.expires_at * 1000 + 15 * MINUTE))).toBeLessThan(1000);

    // Not before its time (the signup's hold went on to this payment, and its deadline with it).
    expect(await runnerAt(() => new Date(due - MINUTE)).tick()).toEqual({});
    expect(await p.b.redis.get(keys.reservation(tel))).toBe(`pay:${paymentId}`);

    const r = await runnerAt(() => new Date(due + MINUTE)).tick();
    expect(r['payment:done']).toBe(1);
    expect((await u.nextMessage({ from: p.b.botJid })).body).toBe(
      `Your payment link expired; nothing was charged and ${formatTel(tel)} is no longer held for you. Send "signup" to start again.`,
    );
    expect(p.stripe.sessions.get(session.id)?.status).toBe('expired');
    expect(await p.b.redis.exists(keys.reservation(tel))).toBe(0);
    expect(await p.b.redis.hget(keys.payment(paymentId), 'state')).toBe('closed');
    expect(await p.b.redis.zscore(keys.deadlines, member)).toBeNull();

    // Stripe's event, late after all: nothing more is said.
    expect((await p.send('checkout.session.expired', session.id, { status: 'expired' })).status).toBe(200);
    expect(await runnerAt(() => new Date(due + 2 * MINUTE)).tick()).toEqual({});
    await silence(u);
  });

  it('paid at Stripe and its event never came: applied from the session at the deadline, once', async () => {
    const u = await p.b.user();
    const { sessionid, tel } = await adhocSignupToSummary(p, u);
    const { session } = await confirmPay(p, u, REGISTER, sessionid);
    // Paid on the Checkout page; the webhook that should have followed was lost.
    const stored = p.stripe.sessions.get(session.id)!;
    stored.status = 'complete';
    stored.payment_status = 'paid';
    const paymentId = (await p.b.redis.get(keys.reservation(tel)))!.slice('pay:'.length);
    const due = Number(await p.b.redis.zscore(keys.deadlines, paymentDeadline(paymentId)));
    const r = await runnerAt(() => new Date(due + MINUTE)).tick();
    expect(r, JSON.stringify(r)).toEqual({ 'payment:done': 1 });
    expect((await u.nextMessage({ from: p.b.botJid })).body).toMatch(new RegExp(`^Payment received .*your number is \\${formatTel(tel)}`));
    expect(await p.b.redis.get(keys.catapultJid(tel))).toBe(u.bare);
    expect(stored.status).toBe('complete');
    // The event comes after all: the payment is already fulfilled by that session, and nothing more is said.
    expect((await p.send('checkout.session.completed', session.id, { status: 'complete', payment_status: 'paid' })).status).toBe(200);
    expect(await runnerAt(() => new Date(due + 2 * MINUTE)).tick()).toEqual({});
    await silence(u);
  });
});

describe("a signup's hold on a number", () => {
  it('that nobody went on with: the person is told once when it lapses, and the number is offered again', async () => {
    const u = await p.b.user();
    const { tel, member } = await holdANumber(u);
    const due = Number(await p.b.redis.zscore(keys.deadlines, member));
    expect(due).toBeGreaterThan(Date.now() + 29 * MINUTE);
    // Still held when the runner looks early (the hold was made again, say): due again when it ends.
    expect((await runnerAt(() => new Date(due)).tick())['hold:held']).toBe(1);
    await silence(u);

    await lapse(keys.reservation(tel));
    await p.b.redis.zadd(keys.deadlines, due, member);
    // Two processes look at once: one tells.
    const [a, b] = await Promise.all([runnerAt(() => new Date(due + 1)).tick(), runnerAt(() => new Date(due + 1)).tick()]);
    expect((a['hold:lapsed'] ?? 0) + (b['hold:lapsed'] ?? 0)).toBe(1);
    expect((await u.nextMessage({ from: p.b.botJid })).body).toMatch(
      new RegExp(
        `^I held \\${formatTel(tel)} \\(.+\\) for you for 30 minutes; it is no longer held\\. Send "signup" to choose a number again\\.$`,
      ),
    );
    expect(await runnerAt(() => new Date(due + 2 * MINUTE)).tick()).toEqual({});
    await silence(u);
    expect((await command(u, p.b.botJid, REGISTER)).options('tel')).toContain(tel);
  });

  it('handed on to a payment or an approval that then ended: never told as lapsed (told what ended it)', async () => {
    const later = () => new Date(Date.now() + 31 * MINUTE);
    // A card payment, cancelled by its payer.
    const card = await p.b.user();
    const one = await adhocSignupToSummary(p, card);
    await confirmPay(p, card, REGISTER, one.sessionid);
    const w = await command(card, p.b.botJid, 'withdraw-signup');
    expect(
      (await command(card, p.b.botJid, 'withdraw-signup', { sessionid: w.sessionid!, action: 'complete', values: { withdraw: 'true' } }))
        .status,
    ).toBe('completed');
    // A trial request, withdrawn.
    const trial = await p.b.user();
    const held = await holdANumber(trial);
    await command(trial, p.b.botJid, REGISTER, { sessionid: held.sessionid, values: { activation_method: 'trial' } });
    const t = await command(trial, p.b.botJid, 'withdraw-signup');
    await command(trial, p.b.botJid, 'withdraw-signup', { sessionid: t.sessionid!, action: 'complete', values: { withdraw: 'true' } });
    // A card payment for one number, then a new signup for another (the first payment is cancelled).
    const again = await p.b.user();
    const first = await adhocSignupToSummary(p, again, 0);
    await confirmPay(p, again, REGISTER, first.sessionid);
    const second = await adhocSignupToSummary(p, again, 1);
    expect(second.tel).not.toBe(first.tel);
    const r = await runnerAt(later).tick();
    expect(r['hold:lapsed']).toBeUndefined();
    for (const u of [card, trial, again]) await silence(u);
    // The second hold is still live, and still watched.
    expect(await p.b.redis.zscore(keys.deadlines, holdDeadline(second.tel, second.sessionid, again.bare))).not.toBeNull();
  });

  it('let go on purpose (cancelled) is never told as lapsed', async () => {
    const u = await p.b.user();
    const { sessionid, member } = await holdANumber(u);
    await command(u, p.b.botJid, REGISTER, { sessionid, action: 'cancel' });
    expect(await p.b.redis.zscore(keys.deadlines, member)).toBeNull();
    expect(await runnerAt(() => new Date(Date.now() + 31 * MINUTE)).tick()).toEqual({});
    await silence(u);
  });

  it('gone on to an approval or a payment of the same person: the deadline goes, nobody is told', async () => {
    const trial = await p.b.user();
    const held = await holdANumber(trial);
    const asked = await command(trial, p.b.botJid, REGISTER, { sessionid: held.sessionid, values: { activation_method: 'trial' } });
    expect(asked.status).toBe('completed');
    const card = await p.b.user();
    const { sessionid, tel } = await adhocSignupToSummary(p, card);
    await confirmPay(p, card, REGISTER, sessionid);
    // Taken out by the script that handed each hold on.
    expect(await p.b.redis.zscore(keys.deadlines, held.member)).toBeNull();
    expect(await p.b.redis.zscore(keys.deadlines, holdDeadline(tel, sessionid, card.bare))).toBeNull();
    const r = await runnerAt(() => new Date(Date.now() + 31 * MINUTE)).tick();
    expect(r['hold:lapsed']).toBeUndefined();
    await silence(trial);
    await silence(card);
  });
});
