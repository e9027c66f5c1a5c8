// Card payment in plain chat: the same flow as ad-hoc, as lettered menus, with the link as a plain URL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../src/store/keys.js';
import type { TestUser } from '../harness/client.js';
import { chat } from './bot-fixture.js';
import { open, payBed, planKey, registered, USD, USD_NOW, USD_NOW_RE, WHSEC, type PayBed } from './pay-fixture.js';

let p: PayBed;
beforeAll(async () => {
  p = await payBed();
});
afterAll(async () => p?.close());

const say = (u: TestUser, text: string) => chat(u, p.b.botJid, text);
const linkIn = (text: string) => new RegExp(`${p.web}/pay/[\\w-]+`).exec(text)?.[0];

describe('pay by card in chat', () => {
  it('signup: number, card, plan, summary, y → a plain link; the webhook then assigns the number and says so', async () => {
    const u = await p.b.user();
    const menu = await say(u, 'signup');
    const tel = `+${/a\) \+([\d ]+)/.exec(menu)![1]!.replace(/ /g, '')}`;
    expect(await say(u, 'a')).toMatch(/Reply y to confirm/);
    const options = await say(u, 'y');
    expect(options).toMatch(/^a\) Free trial/m);
    expect(options).toMatch(/^b\) Pay by card$/m);
    const plans = await say(u, 'b');
    expect(plans).toMatch(/^a\) Monthly \(US dollars\): \$4\.99 a month$/m);
    expect(plans).toMatch(/^b\) Monthly \(Canadian dollars\): CA\$5\.99 a month$/m);
    const summary = await say(u, 'a');
    expect(summary).toContain('Plan: Monthly (US dollars)');
    expect(summary).toContain(`Price: ${USD_NOW} by card now.`);
    expect(summary).toMatch(new RegExp(`Pay ${USD_NOW_RE} by card now\\?\nReply y to confirm, or back\\.`));
    const answer = await say(u, 'y');
    const link = linkIn(answer)!;
    expect(answer).toMatch(/^Pay by card here: http/);
    expect((await open(link)).status).toBe(303);
    const session = p.stripe.created.at(-1)!.session;
    expect(session.metadata.jid).toBe(u.bare);
    await p.send('checkout.session.completed', session.id, { payment_status: 'paid' });
    expect((await u.nextMessage({ from: p.b.botJid })).body).toMatch(new RegExp(`^Payment received \\(${USD_NOW_RE}\\): your number is `));
    expect(await p.b.redis.get(keys.catapultJid(tel))).toBe(u.bare);
    expect(await say(u, 'status')).toContain('Plan this month: Monthly (US dollars)');
  });

  it('y sent twice at once at the summary: one Checkout Session, one link; the other y waits or is shown that link', async () => {
    const u = await p.b.user();
    await say(u, 'signup');
    await say(u, 'a');
    await say(u, 'y');
    await say(u, 'b');
    expect(await say(u, 'a')).toContain(`Pay ${USD_NOW} by card now?`);
    const before = p.stripe.created.length;
    await Promise.all([u.say(p.b.botJid, 'y'), u.say(p.b.botJid, 'y')]);
    const answers = [(await u.nextMessage({ from: p.b.botJid })).body, (await u.nextMessage({ from: p.b.botJid })).body];
    const paid = answers.find((a) => a.startsWith('Pay by card here: '));
    const other = answers.find((a) => a !== paid);
    expect(paid).toBeDefined();
    // Handled at once, the second is refused; handled after, it finds the payment open and shows its link again.
    if (other?.startsWith('One moment')) expect(other).toBe('One moment: I am still answering your previous message.');
    else expect(other).toMatch(new RegExp(`^Your card payment for \\+1 [\\d ]+ is waiting: pay here ${linkIn(paid!)}`));
    expect(p.stripe.created.length - before).toBe(1);
  });

  it('n at the summary charges nothing and goes back to the choices', async () => {
    const u = await p.b.user();
    await say(u, 'signup');
    await say(u, 'a');
    await say(u, 'y');
    await say(u, 'b');
    await say(u, 'a');
    const back = await say(u, 'n');
    expect(back).toMatch(/Nothing was charged/);
    expect(back).toMatch(/^b\) Pay by card$/m);
    expect(p.stripe.created.filter((c) => c.params['metadata[jid]'] === u.bare)).toHaveLength(0);
  });

  it('upgrade: a trial user sends "upgrade", picks card and plan, and gets the link', async () => {
    const u = await p.b.user();
    await registered(p.b, u.bare, '+14385550200', { 0: 'trial_first_month-v20261101' });
    const menu = await say(u, 'menu');
    expect(menu).toMatch(/Upgrade or renew your account \(or send "upgrade" or "renew"\)/);
    const o = await say(u, 'upgrade');
    expect(o).toMatch(/free trial, first month with \+1 438 555 0200/);
    await say(u, 'a');
    await say(u, 'a');
    const link = linkIn(await say(u, 'y'))!;
    expect(link).toBeTruthy();
    const session = p.stripe.created.at(-1)!.session;
    expect(session.metadata.purpose).toBe('upgrade');
    await p.send('checkout.session.completed', session.id, { payment_status: 'paid' });
    expect((await u.nextMessage({ from: p.b.botJid })).body).toMatch(
      /^Payment received \(\$4\.99\): Monthly \(US dollars\) follows your free trial/,
    );
    // Its free month stays; the paid plan starts the month after.
    expect(await p.b.redis.get(planKey(u.bare))).toBe('trial_first_month-v20261101');
    expect(await p.b.redis.get(planKey(u.bare, 1))).toBe(USD);
  });

  it("another person cannot learn someone else's status or pay for them: commands act on the sender only", async () => {
    const payer = await p.b.user();
    const victim = await p.b.user();
    await registered(p.b, victim.bare, '+14385550201', { 0: 'trial_first_month-v20261101' });
    // The payer mentions the victim's JID and number; the bot answers about the payer alone.
    const r = await say(payer, `upgrade ${victim.bare}`);
    expect(r).not.toContain('438 555 0201');
    await say(payer, 'cancel');
    const up = await say(payer, 'upgrade');
    expect(up).toMatch(/no account yet/);
    expect(up).not.toContain('0201');
  });
});

/** A newcomer who chose the first number offered and got a card payment link for it: the number and its session. */
async function signupWithLink() {
  const u = await p.b.user();
  const menu = await say(u, 'signup');
  const first = `+${/a\) \+([\d ]+)/.exec(menu)![1]!.replace(/ /g, '')}`;
  await say(u, 'a');
  await say(u, 'y');
  await say(u, 'b');
  await say(u, 'a');
  expect(await say(u, 'y')).toMatch(/^Pay by card here: /);
  return { u, first, session: p.stripe.created.at(-1)!.session };
}

describe('one number at a time', () => {
  it('with a card payment open, choosing another number cancels it: its Checkout Session is expired and its number freed', async () => {
    const { u, first, session } = await signupWithLink();
    const again = await say(u, 'signup');
    expect(again).toMatch(/^Your card payment for \+1 [\d ]+ is waiting: pay here /);
    expect(again).toContain('Or choose another number below (that payment is then cancelled):');
    // The first number is not in the list (its payment holds it); take the first one offered.
    expect(await say(u, 'a')).toMatch(/^Use \+1/);
    const options = await say(u, 'y');
    expect(options).toMatch(/^Your earlier card payment for \+1 [\d ]+ is cancelled, and that number is free again\./);
    expect(session.status).toBe('expired');
    expect(await p.b.redis.exists(keys.reservation(first))).toBe(0);
    expect(await p.b.redis.exists(keys.paymentOpen(u.bare))).toBe(0);
  });

  it('paid at Stripe but not yet confirmed: choosing another number keeps that payment and its number, and the confirmation assigns it', async () => {
    const { u, first, session } = await signupWithLink();
    // The card was charged; Stripe's webhook is still on its way.
    session.status = 'complete';
    await say(u, 'signup');
    expect(await say(u, 'a')).toMatch(/^Use \+1/);
    const answer = await say(u, 'y');
    expect(answer).toMatch(/^Your card payment for \+1 [\d ]+ has just been made and is being confirmed/);
    expect(await p.b.redis.exists(keys.reservation(first))).toBe(1);
    await p.send('checkout.session.completed', session.id, { payment_status: 'paid' });
    expect((await u.nextMessage({ from: p.b.botJid })).body).toMatch(new RegExp(`^Payment received \\(${USD_NOW_RE}\\): your number is `));
    expect(await p.b.redis.get(`catapult_jid-${first}`)).toBe(u.bare);
  });

  it('cancel with a card payment open cancels it: its Checkout Session is expired and its number freed', async () => {
    const { u, first, session } = await signupWithLink();
    expect(await say(u, 'cancel')).toMatch(/Cancel your card payment for \+1 [\d ]+\?/);
    expect(await say(u, 'y')).toMatch(/^Your card payment for \+1 [\d ]+ is cancelled, and the number is free again\./);
    expect(session.status).toBe('expired');
    expect(await p.b.redis.exists(keys.reservation(first))).toBe(0);
    expect(await p.b.redis.exists(keys.paymentOpen(u.bare))).toBe(0);
    expect(await say(u, 'cancel')).toMatch(/^Nothing is open, so there is nothing to cancel\./);
  });
});

describe('the logs of a payment', () => {
  it('are JSON lines with their event and ids, and hold no webhook secret, Stripe key or pay token', async () => {
    const { u, session } = await signupWithLink();
    const token = /\/pay\/([\w-]+)/.exec(session.success_url)?.[1] ?? '';
    expect(token.length).toBeGreaterThan(16);
    await p.send('checkout.session.completed', session.id, { payment_status: 'paid' });
    expect((await u.nextMessage({ from: p.b.botJid })).body).toMatch(/^Payment received/);
    const text = p.b.jsonLog();
    const lines = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.find((l) => l.event === 'payment.fulfilled' && l.checkout === session.id)).toMatchObject({
      level: 30,
      msg: expect.stringMatching(/assigned/),
      stripeEvent: expect.stringMatching(/^evt_/),
    });
    expect(lines.every((l) => typeof l.time === 'string' && typeof l.level === 'number')).toBe(true);
    for (const secret of [WHSEC, 'sk_test_jmpaccountbot', token]) expect(text).not.toContain(secret);
  });
});
