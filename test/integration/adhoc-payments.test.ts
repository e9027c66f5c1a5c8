// Card payment in ad-hoc: pay at signup, upgrade a trial, renew an expired account, top up; the real
// stripe SDK against the local stand-in, real signed webhooks to the real web server, Prosody and Redis.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys, payHolder } from '../../src/store/keys.js';
import { formatTel } from '../../src/domain/phone.js';
import { type CommandReply, command } from './bot-fixture.js';
import { formatMoney } from '../../src/domain/catalogue.js';
import {
  ACTIVATE_USD,
  adhocSignupToSummary,
  CAD,
  confirmPay,
  formText,
  open,
  payBed,
  planKey,
  registered,
  REGISTER,
  USD,
  USD_NOW,
  USD_NOW_RE,
  type PayBed,
} from './pay-fixture.js';

let p: PayBed;
beforeAll(async () => {
  p = await payBed();
});
afterAll(async () => p?.close());

const TRIAL1 = 'trial_first_month-v20261101';

describe('pay by card at signup (ad-hoc)', () => {
  it('offers trial and card, shows a summary, and answers with a link (also as jabber:x:oob) to a Checkout Session for the plan', async () => {
    const u = await p.b.user();
    const { sessionid, tel, options, plan, summary } = await adhocSignupToSummary(p, u);
    expect(options.options('activation_method')).toEqual(['trial', 'credit_card']);
    expect(options.actions()).toEqual(expect.arrayContaining(['next', 'complete']));
    expect(plan.options('plan')).toEqual([USD, CAD]);
    expect(plan.labels('plan')[0]).toBe('Monthly (US dollars): $4.99 a month');
    const text = formText(summary);
    expect(text).toContain('+1 416 555 0100 (Toronto, ON)');
    expect(text).toContain('Plan: Monthly (US dollars)');
    expect(text).toContain(`Price: ${USD_NOW} by card now.`);
    expect(p.stripe.created.length === 0 || !p.stripe.created.some((c) => c.params['metadata[jid]'] === u.bare)).toBe(true); // nothing before confirming

    const { done, url, session } = await confirmPay(p, u, REGISTER, sessionid);
    expect(done.notes.join(' ')).toContain(url);
    const req = p.stripe.created.at(-1)!;
    expect(req.params['line_items[0][price_data][unit_amount]']).toBe(String(ACTIVATE_USD));
    expect(req.params['line_items[0][price_data][currency]']).toBe('usd');
    expect(req.params['metadata[jid]']).toBe(u.bare);
    expect(req.params['metadata[tel]']).toBe(tel);
    expect(req.idempotencyKey).toMatch(/^jmp-checkout-[\w-]+-1$/);
    const lifetime = session.expires_at - Math.floor(Date.now() / 1000);
    expect(lifetime).toBeGreaterThan(55 * 60);
    expect(lifetime).toBeLessThanOrEqual(60 * 60);
    // The number is now held by the payment for as long as the Checkout Session lives (plus a margin).
    const holder = await p.b.redis.get(keys.reservation(tel));
    expect(holder).toMatch(/^pay:/);
    const ttl = await p.b.redis.ttl(keys.reservation(tel));
    expect(ttl).toBeGreaterThan(60 * 60);

    const link = await open(url);
    expect(link.status).toBe(303);
    expect(link.location).toBe(session.url);

    // The success page alone proves nothing: no number yet.
    const success = await open(`${url}/success`);
    expect(success.text).toContain('being confirmed');
    expect(await p.b.redis.get(keys.catapultJid(tel))).toBeNull();

    const r = await p.send('checkout.session.completed', session.id, { payment_status: 'paid', status: 'complete' });
    expect(r.status).toBe(200);
    const told = await u.nextMessage({ from: p.b.botJid });
    expect(told.body).toMatch(
      new RegExp(`^Payment received \\(${USD_NOW_RE}\\): your number is \\+1 416 555 0100, active until \\d{4}-\\d{2}-\\d{2}\\.`),
    );
    expect(await p.b.redis.get(keys.catapultJid(tel))).toBe(u.bare);
    expect(await p.b.redis.get(planKey(u.bare, 0))).toBe(USD);
    expect(await p.b.redis.get(planKey(u.bare, 1))).toBe(USD);
    expect(await p.b.redis.get(keys.balancePrepaid(u.bare))).toBeNull();
    // In the accounts index, for the monthly rollover.
    expect(await p.b.redis.sismember(keys.accounts, u.bare)).toBe(1);
    expect(await p.b.redis.exists(keys.reservation(tel))).toBe(0);
    expect((await open(`${url}/success`)).text).toContain('Payment received');
    expect((await open(url)).text).toContain('Already paid');

    const status = await command(u, p.b.botJid, 'status');
    expect(status.notes.join(' ')).toContain('Plan this month: Monthly (US dollars)');
  });

  it('replaying the same webhook credits nothing twice and sends no second message', async () => {
    const u = await p.b.user();
    const { sessionid, tel } = await adhocSignupToSummary(p, u);
    const { session } = await confirmPay(p, u, REGISTER, sessionid);
    const e = p.stripe.event('checkout.session.completed', session.id, {
      payment_status: 'paid',
      status: 'complete',
      amount_total: ACTIVATE_USD + 1000,
    });
    expect((await p.stripe.post(`${p.web}/stripe/webhook`, e.payload, 'whsec_test_jmp_account_bot')).status).toBe(200);
    expect((await u.nextMessage({ from: p.b.botJid })).body).toContain(`Payment received (${formatMoney(ACTIVATE_USD + 1000, 'usd')})`);
    // 10.00 beyond the plan price went to the prepaid balance.
    expect(await p.b.redis.get(keys.balancePrepaid(u.bare))).toBe('1000');
    const replay = await p.stripe.post(`${p.web}/stripe/webhook`, e.payload, 'whsec_test_jmp_account_bot');
    expect(replay.status).toBe(200);
    expect(JSON.parse(replay.body).outcome).toBe('duplicate');
    // The same session completed again under a new event id: still one credit.
    const again = await p.send('checkout.session.completed', session.id, { payment_status: 'paid', amount_total: ACTIVATE_USD + 1000 });
    expect(JSON.parse(again.body).outcome).toBe('duplicate');
    expect(await p.b.redis.get(keys.balancePrepaid(u.bare))).toBe('1000');
    expect(await p.b.redis.get(keys.catapultJid(tel))).toBe(u.bare);
    await expect(u.nextMessage({ from: p.b.botJid, timeout: 400 })).rejects.toThrow();
  });

  it('pressing pay twice gives the same Checkout Session and the same link', async () => {
    const u = await p.b.user();
    await registered(p.b, u.bare, '+14385550100', { 0: TRIAL1 });
    const links = [];
    for (let i = 0; i < 2; i++) {
      const o = await command(u, p.b.botJid, 'upgrade');
      const s = await command(u, p.b.botJid, 'upgrade', { sessionid: o.sessionid!, values: { activation_method: 'credit_card' } });
      await command(u, p.b.botJid, 'upgrade', { sessionid: s.sessionid!, values: { plan: USD } });
      links.push(await confirmPay(p, u, 'upgrade', o.sessionid!));
    }
    expect(links[1]!.url).toBe(links[0]!.url);
    expect(links[1]!.session.id).toBe(links[0]!.session.id);
    expect(p.stripe.created.filter((c) => c.params['metadata[jid]'] === u.bare)).toHaveLength(1);
  });

  it('a checkout that expires frees the number, tells the user, and the link then says it expired', async () => {
    const u = await p.b.user();
    const { sessionid, tel } = await adhocSignupToSummary(p, u);
    const { url, session } = await confirmPay(p, u, REGISTER, sessionid);
    const r = await p.send('checkout.session.expired', session.id, { status: 'expired' });
    expect(r.status).toBe(200);
    expect((await u.nextMessage({ from: p.b.botJid })).body).toMatch(
      new RegExp(`payment link expired; nothing was charged and \\${formatTel(tel)} is no longer held`),
    );
    expect(await p.b.redis.exists(keys.reservation(tel))).toBe(0);
    const page = await open(url);
    expect(page.status).toBe(404);
    expect(page.text).toContain('This payment link has expired');
    const again = await command(u, p.b.botJid, REGISTER);
    expect(again.options('tel')).toContain(tel);
  });

  it('a link opened after its Checkout Session expired gets a fresh session while the number is still held', async () => {
    const u = await p.b.user();
    const { sessionid, tel } = await adhocSignupToSummary(p, u);
    const { url, session } = await confirmPay(p, u, REGISTER, sessionid);
    const holder = (await p.b.redis.get(keys.reservation(tel)))!;
    const paymentId = holder.slice('pay:'.length);
    expect(holder).toBe(payHolder(paymentId));
    await p.b.redis.hset(keys.payment(paymentId), 'checkout_expires_at', String(Date.now() - 1000));
    const link = await open(url);
    expect(link.status).toBe(303);
    const fresh = p.stripe.created.at(-1)!;
    expect(fresh.session.id).not.toBe(session.id);
    expect(fresh.idempotencyKey).toMatch(/-2$/);
    expect(link.location).toBe(fresh.session.url);
    // The old session's late "expired" event does not release what the fresh one holds.
    const late = await p.send('checkout.session.expired', session.id, { status: 'expired' });
    expect(JSON.parse(late.body).outcome).toBe('stale');
    expect(await p.b.redis.get(keys.reservation(tel))).toBe(holder);
  });

  it('Stripe unreachable: the user is told to try again shortly, the number stays held, and a retry works', async () => {
    const u = await p.b.user();
    const { sessionid, tel } = await adhocSignupToSummary(p, u);
    p.stripe.down = true;
    let r: CommandReply | undefined;
    try {
      r = await command(u, p.b.botJid, REGISTER, { sessionid, action: 'complete', values: { confirm: 'true' } });
    } finally {
      p.stripe.down = false;
    }
    expect(r.status).toBe('executing');
    expect(r.notes.join(' ')).toMatch(/cannot be reached right now\. Please try again in a minute\. \+1 \d{3} \d{3} \d{4} stays held/);
    expect(await p.b.redis.get(keys.reservation(tel))).toBe(sessionid);
    const { url } = await confirmPay(p, u, REGISTER, sessionid);
    expect((await open(url)).status).toBe(303);
  });
});

describe('the options step for registered users (upgrade, renew)', () => {
  it('state 5, active trial: upgrade offers card payment; paying keeps the free months and buys the month after them', async () => {
    const u = await p.b.user();
    await registered(p.b, u.bare, '+14385550101', { 0: TRIAL1, 1: 'trial_second_month-v20261101' });
    const o = await command(u, p.b.botJid, 'upgrade');
    expect(formText(o)).toMatch(/You are on a free trial, first month with \+1 438 555 0101\. Upgrade/);
    expect(o.options('activation_method')).toEqual(['credit_card']);
    const plan = await command(u, p.b.botJid, 'upgrade', { sessionid: o.sessionid!, values: { activation_method: 'credit_card' } });
    const summary = await command(u, p.b.botJid, 'upgrade', { sessionid: plan.sessionid!, values: { plan: CAD } });
    expect(formText(summary)).toContain('Your free trial goes on until');
    expect(formText(summary)).toContain('Price: CA$5.99 by card now, into your prepaid balance');
    const { session } = await confirmPay(p, u, 'upgrade', o.sessionid!);
    expect(session.metadata.purpose).toBe('upgrade');
    await p.send('checkout.session.completed', session.id, { payment_status: 'paid' });
    expect((await u.nextMessage({ from: p.b.botJid })).body).toMatch(
      /^Payment received \(CA\$5\.99\): Monthly \(Canadian dollars\) follows your free trial, paid through \d{4}-\d{2}-\d{2}\.$/,
    );
    // The two free months stay; the paid plan starts with the month after them.
    expect(await p.b.redis.get(planKey(u.bare, 0))).toBe(TRIAL1);
    expect(await p.b.redis.get(planKey(u.bare, 1))).toBe('trial_second_month-v20261101');
    expect(await p.b.redis.get(planKey(u.bare, 2))).toBe(CAD);
    // All of it bought that month: nothing is left over in the balance.
    expect(Number((await p.b.redis.get(keys.balancePrepaid(u.bare))) ?? 0)).toBe(0);
    // Upgraded: a second upgrade is refused, saying what follows the trial.
    const after = await command(u, p.b.botJid, 'upgrade');
    const again = await command(u, p.b.botJid, 'upgrade', { sessionid: after.sessionid!, values: { activation_method: 'credit_card' } });
    const refused = await command(u, p.b.botJid, 'upgrade', { sessionid: again.sessionid!, values: { plan: CAD } });
    expect([...refused.notes, formText(refused)].join(' ')).toMatch(
      /already upgraded: Monthly \(Canadian dollars\) follows your free trial/,
    );
  });

  it('state 4, expired: upgrade says when it expired and renews it', async () => {
    const u = await p.b.user();
    await registered(p.b, u.bare, '+14385550102', { [-2]: USD });
    const o = await command(u, p.b.botJid, 'upgrade');
    expect(formText(o)).toMatch(/expired on \d{4}-\d{2}-01\. Renew it/);
    expect(o.options('activation_method')).toEqual(['credit_card']);
    await command(u, p.b.botJid, 'upgrade', { sessionid: o.sessionid!, values: { activation_method: 'credit_card' } });
    await command(u, p.b.botJid, 'upgrade', { sessionid: o.sessionid!, values: { plan: USD } });
    const { session } = await confirmPay(p, u, 'upgrade', o.sessionid!);
    expect(session.metadata.purpose).toBe('renew');
    await p.send('checkout.session.completed', session.id, { payment_status: 'paid' });
    expect((await u.nextMessage({ from: p.b.botJid })).body).toContain(`Payment received (${USD_NOW})`);
    expect(await p.b.redis.get(planKey(u.bare, 0))).toBe(USD);
  });

  it('state 1, new: upgrade sends them to signup; state 2, paid without a number: signup assigns directly with no second payment', async () => {
    const u = await p.b.user();
    const fresh = await command(u, p.b.botJid, 'upgrade');
    expect(fresh.status).toBe('completed');
    expect(fresh.notes.join(' ')).toMatch(/no account yet\. Run the “Sign up for a phone number” command/);

    // Pay at signup, but the number vanishes before the payment lands.
    const { sessionid, tel } = await adhocSignupToSummary(p, u);
    const { session } = await confirmPay(p, u, REGISTER, sessionid);
    await p.b.redis.zrem(keys.numbersAvailable, tel);
    await p.send('checkout.session.completed', session.id, { payment_status: 'paid' });
    expect((await u.nextMessage({ from: p.b.botJid })).body).toMatch(
      new RegExp(
        `Payment received \\(${USD_NOW_RE}\\), thank you\\. Sadly \\+1 \\d{3} \\d{3} \\d{4} was taken meanwhile.*will not pay again`,
      ),
    );
    expect(await p.b.redis.get(planKey(u.bare, 0))).toBe(USD);
    const state2 = await command(u, p.b.botJid, 'upgrade');
    expect(state2.notes.join(' ')).toMatch(/paid or approved but has no number yet/);
    const created = p.stripe.created.length;
    const again = await command(u, p.b.botJid, REGISTER);
    const pick = again.options('tel')[0]!;
    await command(u, p.b.botJid, REGISTER, { sessionid: again.sessionid!, values: { tel: pick } });
    const doneR = await command(u, p.b.botJid, REGISTER, { sessionid: again.sessionid!, values: { confirm: 'true' } });
    expect(doneR.status).toBe('completed');
    expect(doneR.notes.join(' ')).toMatch(/You are registered: your number is/);
    expect(await p.b.redis.get(keys.catapultJid(pick))).toBe(u.bare);
    expect(p.stripe.created.length).toBe(created);
  });
});

describe('top-up', () => {
  it('is offered to paying users only, adds the chosen amount to the prepaid balance, and status shows it', async () => {
    const trialUser = await p.b.user();
    await registered(p.b, trialUser.bare, '+14385550103', { 0: TRIAL1 });
    expect((await command(trialUser, p.b.botJid, 'top-up')).error?.stanza).toBe('forbidden');

    const u = await p.b.user();
    await registered(p.b, u.bare, '+14385550104', { 0: USD });
    const a = await command(u, p.b.botJid, 'top-up');
    expect(formText(a)).toContain('Your prepaid balance is $0.00.');
    expect(a.options('amount')).toEqual(['10.00', '25.00', '50.00']);
    expect(a.labels('amount')).toEqual(['$10.00', '$25.00', '$50.00']);
    const forged = await command(u, p.b.botJid, 'top-up', { sessionid: a.sessionid!, values: { amount: '1' } });
    expect(forged.status).toBe('executing');
    expect(forged.notes.join(' ')).toMatch(/Amount \(USD\) is not one of the choices/);
    const s = await command(u, p.b.botJid, 'top-up', { sessionid: a.sessionid!, values: { amount: '25.00' } });
    expect(formText(s)).toContain('Add $25.00 to your prepaid balance.');
    const { session } = await confirmPay(p, u, 'top-up', a.sessionid!);
    expect(session.amount_total).toBe(2500);
    await p.send('checkout.session.completed', session.id, { payment_status: 'paid' });
    expect((await u.nextMessage({ from: p.b.botJid })).body).toBe('Payment received: $25.00 added to your prepaid balance, now $25.00.');
    expect(await p.b.redis.get(keys.balancePrepaid(u.bare))).toBe('2500');
    expect(await p.b.redis.get(planKey(u.bare, 1))).toBeNull();
    const status = await command(u, p.b.botJid, 'status');
    expect(status.notes.join(' ')).toContain('Prepaid balance: $25.00.');
  });

  it('a top-up by an account that expired renews it at once from the balance, on its last plan', async () => {
    const u = await p.b.user();
    await registered(p.b, u.bare, '+14385550105', { [-1]: USD });
    const a = await command(u, p.b.botJid, 'top-up');
    const s = await command(u, p.b.botJid, 'top-up', { sessionid: a.sessionid!, values: { amount: '10.00' } });
    expect(formText(s)).toContain(
      `Your account has expired: it is renewed from the balance on Monthly (US dollars)\nas soon as it covers the rest of this month and the next (${USD_NOW}),`,
    );
    const { session } = await confirmPay(p, u, 'top-up', a.sessionid!);
    await p.send('checkout.session.completed', session.id, { payment_status: 'paid' });
    const left = formatMoney(1000 - ACTIVATE_USD, 'usd');
    expect((await u.nextMessage({ from: p.b.botJid })).body).toMatch(
      new RegExp(
        `^Payment received: \\$10\\.00 added to your prepaid balance, which renewed your account on Monthly \\(US dollars\\), active until \\d{4}-\\d{2}-\\d{2}\\. Your balance is now ${left.replace(/[$.]/g, '\\$&')}\\.$`,
      ),
    );
    expect(await p.b.redis.get(planKey(u.bare, 0))).toBe(USD);
    expect(await p.b.redis.get(planKey(u.bare, 1))).toBe(USD);
    expect(await p.b.redis.get(keys.balancePrepaid(u.bare))).toBe(String(1000 - ACTIVATE_USD));
  });
});
