// The Stripe webhook as Stripe uses it: signatures checked on the raw body, events replayed and out of order,
// delayed payment methods; plus the web server's health check and unknown links.
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../src/store/keys.js';
import { PaymentStore } from '../../src/store/payments.js';
import { freePort } from '../../src/dev/servers.js';
import { command, rawHttp } from './bot-fixture.js';
import {
  adhocSignupToSummary,
  confirmPay,
  open,
  payBed,
  planKey,
  REGISTER,
  USD,
  WHSEC,
  type PayBed,
  ACTIVATE_USD,
  USD_NOW_RE,
} from './pay-fixture.js';

let p: PayBed;
beforeAll(async () => {
  p = await payBed();
});
afterAll(async () => p?.close());

const webhook = () => `${p.web}/stripe/webhook`;

async function openPayment() {
  const u = await p.b.user();
  const { sessionid, tel } = await adhocSignupToSummary(p, u);
  const { session, url } = await confirmPay(p, u, REGISTER, sessionid);
  return { u, tel, session, url };
}

describe('a webhook at a process that is not online', () => {
  it('is applied (200) by a standby, and the person hears of it from the process that is online', async () => {
    const { u, tel, session } = await openPayment();
    const port = await freePort();
    // A second process on the same Redis: Prosody answers its connection with conflict, so it stands by.
    const standby = await p.b.start({ ...p.env, HTTP_PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` });
    expect(standby.connection.state()).toBe('standby');
    const e = p.stripe.event('checkout.session.completed', session.id, { payment_status: 'paid', status: 'complete' });
    const r = await p.stripe.post(`http://127.0.0.1:${port}/stripe/webhook`, e.payload, WHSEC);
    expect(r.status).toBe(200);
    expect(await p.b.redis.get(keys.catapultJid(tel))).toBe(u.bare);
    // Its message went into the outbox with the payment, and the online process sent it.
    expect((await u.nextMessage({ from: p.b.botJid })).body).toMatch(/^Payment received/);
    await standby.stop();
  });
});

describe('webhook signatures', () => {
  it('a forged signature, a re-serialised body or a stale timestamp gets 400 and writes nothing', async () => {
    const { u, tel, session } = await openPayment();
    const e = p.stripe.event('checkout.session.completed', session.id, { payment_status: 'paid' });
    const forged = await p.stripe.post(webhook(), e.payload, 'whsec_not_the_secret');
    expect(forged.status).toBe(400);
    // Same bytes signed, different bytes sent (as a proxy that re-serialises JSON would).
    const signature = new Stripe('sk_test_x').webhooks.generateTestHeaderString({ payload: e.payload, secret: WHSEC });
    const reserialised = await fetch(webhook(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': signature },
      body: JSON.stringify(JSON.parse(e.payload), null, 2),
    });
    expect(reserialised.status).toBe(400);
    const stale = await p.stripe.post(webhook(), e.payload, WHSEC, { timestamp: Math.floor(Date.now() / 1000) - 600 });
    expect(stale.status).toBe(400);
    const unsigned = await fetch(webhook(), { method: 'POST', body: e.payload });
    expect(unsigned.status).toBe(400);
    expect(await p.b.redis.exists(keys.stripeEvent(e.id))).toBe(0);
    expect(await p.b.redis.get(keys.catapultJid(tel))).toBeNull();
    expect(await p.b.redis.get(planKey(u.bare))).toBeNull();
    await expect(u.nextMessage({ from: p.b.botJid, timeout: 300 })).rejects.toThrow();
    // The genuine event still works afterwards.
    expect((await p.stripe.post(webhook(), e.payload, WHSEC)).status).toBe(200);
    expect(await p.b.redis.get(keys.catapultJid(tel))).toBe(u.bare);
  });

  it('events about sessions the bot did not create are acknowledged and ignored', async () => {
    const { session } = await openPayment();
    const stranger = p.stripe.event('checkout.session.completed', session.id, { payment_status: 'paid', metadata: {} });
    const r = await p.stripe.post(webhook(), stranger.payload, WHSEC);
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body).outcome).toBe('ignored');
  });

  it('answers GET with 405 and an oversized body with 413', async () => {
    expect((await fetch(webhook())).status).toBe(405);
    const big = await fetch(webhook(), { method: 'POST', headers: { 'stripe-signature': 't=1,v1=x' }, body: 'x'.repeat(600 * 1024) }).catch(
      () => ({ status: 413 }),
    );
    expect(big.status).toBe(413);
  });
});

describe('events out of order', () => {
  it('expired after completed: the number stays assigned and nobody is told it expired', async () => {
    const { u, tel, session } = await openPayment();
    await p.send('checkout.session.completed', session.id, { payment_status: 'paid' });
    expect((await u.nextMessage({ from: p.b.botJid })).body).toMatch(/^Payment received/);
    const late = await p.send('checkout.session.expired', session.id, { status: 'expired' });
    expect(late.status).toBe(200);
    expect(await p.b.redis.get(keys.catapultJid(tel))).toBe(u.bare);
    await expect(u.nextMessage({ from: p.b.botJid, timeout: 300 })).rejects.toThrow();
  });

  it('completed but unpaid (a delayed method), then async_payment_succeeded: told it is processing, then fulfilled once', async () => {
    const { u, tel, session, url } = await openPayment();
    const unpaid = await p.send('checkout.session.completed', session.id, { payment_status: 'unpaid', status: 'complete' });
    expect(JSON.parse(unpaid.body).outcome).toBe('processing');
    expect((await u.nextMessage({ from: p.b.botJid })).body).toMatch(/being processed/);
    expect(await p.b.redis.get(keys.catapultJid(tel))).toBeNull();
    expect(await p.b.redis.get(keys.reservation(tel))).toMatch(/^pay:/);
    // The hold lasts until Stripe settles it (days), not the 75 minutes of an unpaid session: the number is not lost.
    expect(await p.b.redis.ttl(keys.reservation(tel))).toBeGreaterThan(7 * 24 * 3600);
    // Its link now says it is being confirmed and makes no second Checkout Session (one that could be paid twice).
    const made = p.stripe.created.length;
    const page = await open(url);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h1>Thank you</h1>');
    expect(p.stripe.created.length).toBe(made);
    await p.send('checkout.session.async_payment_succeeded', session.id, { payment_status: 'paid' });
    expect((await u.nextMessage({ from: p.b.botJid })).body).toMatch(new RegExp(`^Payment received \\(${USD_NOW_RE}\\): your number is`));
    expect(await p.b.redis.get(keys.catapultJid(tel))).toBe(u.bare);
    const twice = await p.send('checkout.session.async_payment_succeeded', session.id, { payment_status: 'paid' });
    expect(JSON.parse(twice.body).outcome).toBe('duplicate');
    await expect(u.nextMessage({ from: p.b.botJid, timeout: 300 })).rejects.toThrow();
  });

  it('async_payment_failed frees the number and says nothing was charged', async () => {
    const { u, tel, session } = await openPayment();
    await p.send('checkout.session.completed', session.id, { payment_status: 'unpaid', status: 'complete' });
    await u.nextMessage({ from: p.b.botJid });
    await p.send('checkout.session.async_payment_failed', session.id);
    expect((await u.nextMessage({ from: p.b.botJid })).body).toMatch(/did not go through; nothing was charged/);
    expect(await p.b.redis.exists(keys.reservation(tel))).toBe(0);
  });

  it('a second paid session for a period already paid goes to the prepaid balance, not a second period', async () => {
    const { u, session } = await openPayment();
    // An upgrade opened from another device before the signup payment landed, then paid too.
    const other = await p.bot.runtime.deps.payments!.checkout(
      u.bare,
      { purpose: 'upgrade', plan: USD, tel: '', amount: 499, currency: 'usd', price: 499 },
      'elsewhere',
    );
    expect(other).not.toBe('number-gone');
    const late = p.stripe.created.at(-1)!.session;
    await p.send('checkout.session.completed', session.id, { payment_status: 'paid' });
    await u.nextMessage({ from: p.b.botJid });
    const planNextMonth = await p.b.redis.get(planKey(u.bare, 1));
    await p.send('checkout.session.completed', late.id, { payment_status: 'paid' });
    expect((await u.nextMessage({ from: p.b.botJid })).body).toBe(
      'Payment received ($4.99). This period was already paid, so it went to your prepaid balance, now $4.99.',
    );
    expect(await p.b.redis.get(keys.balancePrepaid(u.bare))).toBe('499');
    expect(await p.b.redis.get(planKey(u.bare, 1))).toBe(planNextMonth);
    expect(await p.b.redis.get(planKey(u.bare, 2))).toBeNull();
  });

  it('a session paid in another currency or for less than asked is not applied', async () => {
    const { u, tel, session } = await openPayment();
    const r = await p.send('checkout.session.completed', session.id, { payment_status: 'paid', amount_total: 100 });
    expect(JSON.parse(r.body).outcome).toBe('rejected');
    expect(await p.b.redis.get(keys.catapultJid(tel))).toBeNull();
    expect(await p.b.redis.get(planKey(u.bare))).toBeNull();
  });
});

describe('web server', () => {
  it('/healthz says ok while XMPP and Redis are up', async () => {
    const r = await fetch(`${p.web}/healthz`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ ok: true, xmpp: 'online', redis: 'ok' });
  });

  it('an unknown or malformed token gets the plain "link expired" page, and no page leaks the token onward', async () => {
    for (const t of ['AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', '..%2F..%2Fetc', 'x', '%E0%A4%A']) {
      const r = await open(`${p.web}/pay/${t}`);
      expect(r.status).toBe(404);
      expect(r.text).toContain('Ask the bot for a new one');
    }
    const { url } = await openPayment();
    const r = await fetch(url, { redirect: 'manual' });
    expect(r.headers.get('referrer-policy')).toBe('no-referrer');
    expect(r.headers.get('cache-control')).toBe('no-store');
  });
});

describe('the payment message', () => {
  it('a crash after the payment was applied and before its message was queued: Stripe retries, and the person is told once', async () => {
    const { u, session } = await openPayment();
    const e = p.stripe.event('checkout.session.completed', session.id, { payment_status: 'paid' });
    const paymentId = session.metadata.payment ?? '';
    // What the bot's fulfil script does, and then the process dies (the webhook was not answered).
    const applied = await new PaymentStore(p.b.redis).fulfil(
      e.id,
      paymentId,
      u.bare,
      session.id,
      session.amount_total,
      p.bot.runtime.deps.settings.trialPlans,
      new Date(),
    );
    expect(applied.outcome).toBe('assigned');
    await expect(u.nextMessage({ from: p.b.botJid, timeout: 300 })).rejects.toThrow();
    // Stripe sends the event again: applied already, so the message is made from what the payment kept.
    const retried = await p.stripe.post(`${p.web}/stripe/webhook`, e.payload, WHSEC);
    expect(JSON.parse(retried.body).outcome).toBe('duplicate');
    expect((await u.nextMessage({ from: p.b.botJid })).body).toMatch(/^Payment received \(.*\): your number is /);
    // And again: nothing more.
    await p.stripe.post(`${p.web}/stripe/webhook`, e.payload, WHSEC);
    await expect(u.nextMessage({ from: p.b.botJid, timeout: 500 })).rejects.toThrow();
  });
});

describe('a payment confirmed after the month turned', () => {
  it('buys the months it was priced for: the month it was opened in and the next, not the two after the webhook', async () => {
    const { u, session } = await openPayment();
    const paymentId = session.metadata.payment ?? '';
    // Opened (and priced) last month; Stripe's confirmation arrives now.
    const lastMonth = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() - 1, 28, 23, 40));
    await p.b.redis.hset(keys.payment(paymentId), 'created_at', lastMonth.toISOString());
    await p.send('checkout.session.completed', session.id, { payment_status: 'paid' });
    const told = (await u.nextMessage({ from: p.b.botJid })).body;
    expect(await p.b.redis.get(planKey(u.bare, -1))).toBe(USD);
    expect(await p.b.redis.get(planKey(u.bare, 0))).toBe(USD);
    expect(await p.b.redis.get(planKey(u.bare, 1))).toBeNull();
    const endOfThisMonth = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() + 1, 0)).toISOString().slice(0, 10);
    expect(told).toContain(`active until ${endOfThisMonth}.`);
  });
});

describe('a late payment for months another payment already paid', () => {
  it('priced last month, settled after this month was paid another way: kept as balance, no month paid twice', async () => {
    const { u, session } = await openPayment();
    const paymentId = session.metadata.payment ?? '';
    const lastMonth = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() - 1, 28, 23, 40));
    await p.b.redis.hset(keys.payment(paymentId), 'created_at', lastMonth.toISOString());
    // This month is paid already (a second payment landed first).
    await p.b.redis.set(planKey(u.bare, 0), USD);
    await p.send('checkout.session.completed', session.id, { payment_status: 'paid' });
    expect((await u.nextMessage({ from: p.b.botJid })).body).toMatch(/This period was already paid, so it went to your prepaid balance/);
    expect(await p.b.redis.get(keys.balancePrepaid(u.bare))).toBe(String(session.amount_total));
    expect(await p.b.redis.get(planKey(u.bare, -1))).toBeNull();
  });
});

describe('request paths', () => {
  const raw = (requestLine: string) => rawHttp(new URL(p.web).port, requestLine);

  it('no path a URL parser would rewrite reaches /metrics or /healthz through the /pay/ prefix', async () => {
    expect((await fetch(`${p.web}/metrics`)).status).toBe(200); // served here: no METRICS_PORT
    for (const target of ['/pay/..\\metrics', '/pay/..\\healthz', '/pay/%2e%2e/metrics', '/pay/..%2Fmetrics', '/pay/x/../../metrics']) {
      const answer = await raw(`GET ${target} HTTP/1.1`);
      expect(answer).toMatch(/^HTTP\/1\.1 404/);
      expect(answer).not.toContain('jmp_bot_');
      expect(answer).not.toContain('"xmpp"');
    }
  });
});

describe('two presses at once', () => {
  it('the same purchase asked for twice at the same moment gets one Checkout Session and one link', async () => {
    const u = await p.b.user();
    const before = p.stripe.created.length;
    const purchase = { purpose: 'upgrade' as const, plan: USD, tel: '', amount: 499, currency: 'usd', price: 499 };
    const pay = p.bot.runtime.deps.payments!;
    const [a, b] = await Promise.all([pay.checkout(u.bare, purchase, 'session-1'), pay.checkout(u.bare, purchase, 'session-1')]);
    expect(a).not.toBe('number-gone');
    expect(b).toEqual(a);
    expect(new Set(p.stripe.created.slice(before).map((c) => c.session.id)).size).toBe(1);
  });
});

describe('Stripe refusing the key', () => {
  it('a refused request is logged with its Stripe request id, and the person is told card payments are not available', async () => {
    const u = await p.b.user();
    const { sessionid } = await adhocSignupToSummary(p, u);
    p.stripe.refuseKey = true;
    try {
      const r = await command(u, p.b.botJid, REGISTER, { sessionid, action: 'complete', values: { confirm: 'true' } });
      expect(r.status).toBe('completed');
      expect(r.notes).toEqual(['Card payments are not available right now. Please try again later.']);
      expect(p.b.logs.some((l) => /StripeAuthenticationError 401: .*\(request req_standin_err_\d+\)/.test(l))).toBe(true);
      // A bot starting with that key stops with one clear line instead of taking payments it cannot make.
      await expect(p.b.start({ ...p.env })).rejects.toThrow(/Stripe refused STRIPE_SECRET_KEY/);
    } finally {
      p.stripe.refuseKey = false;
    }
  });
});

describe('return pages tell the truth for the payment', () => {
  const title = (html: string) => /<h1>([^<]*)<\/h1>/.exec(html)?.[1];

  it('open, paid, and never-existed tokens each get their own page at /success and /cancel', async () => {
    const { session, url } = await openPayment();
    expect(title((await open(`${url}/success`)).text)).toBe('Thank you');
    expect(title((await open(`${url}/cancel`)).text)).toBe('No payment was made');
    await p.send('checkout.session.completed', session.id, { payment_status: 'paid' });
    expect(title((await open(`${url}/success`)).text)).toBe('Payment received');
    expect(title((await open(`${url}/cancel`)).text)).toBe('Already paid');
    const never = `${p.web}/pay/${'x'.repeat(32)}`;
    expect(title((await open(`${never}/success`)).text)).toBe('This payment link has expired');
    expect(title((await open(`${never}/cancel`)).text)).toBe('This payment link has expired');
  });
});

describe('refunds and disputes', () => {
  it('are recorded on the payment they concern and the admins are told, once per event; the account is not changed', async () => {
    const admin = await p.b.user();
    // A bot whose admin is this user, on its own bed (a second process on one component would be refused).
    const q = await payBed({ ADMIN_JIDS: admin.bare });
    try {
      const u = await q.b.user();
      const { sessionid, tel } = await adhocSignupToSummary(q, u);
      const { session } = await confirmPay(q, u, REGISTER, sessionid);
      await q.send('checkout.session.completed', session.id, { payment_status: 'paid' });
      await u.nextMessage({ from: q.b.botJid });
      const paymentId = (await q.b.redis.get(keys.paymentIntent(session.payment_intent)))!;
      expect(paymentId).toBeTruthy();

      const refund = q.stripe.chargeEvent('charge.refunded', session.id);
      const r = await q.stripe.post(`${q.web}/stripe/webhook`, refund.payload, WHSEC);
      expect(JSON.parse(r.body).outcome).toBe('recorded');
      expect((await admin.nextMessage({ from: q.b.botJid })).body).toMatch(
        new RegExp(
          `^Refund recorded: ${USD_NOW_RE} of the signup of \\+1 [\\d ]+ by ${u.bare} \\(payment ${paymentId}\\) was refunded in Stripe\\.`,
        ),
      );
      expect(await q.b.redis.hget(keys.payment(paymentId), 'refunded_amount')).toBe(String(ACTIVATE_USD));
      const again = await q.stripe.post(`${q.web}/stripe/webhook`, refund.payload, WHSEC);
      expect(JSON.parse(again.body).outcome).toBe('duplicate');

      const dispute = q.stripe.chargeEvent('charge.dispute.created', session.id);
      await q.stripe.post(`${q.web}/stripe/webhook`, dispute.payload, WHSEC);
      expect((await admin.nextMessage({ from: q.b.botJid })).body).toMatch(
        new RegExp(`^Dispute needs_response: ${USD_NOW_RE} of the signup .*, reason fraudulent\\.`),
      );
      expect(await q.b.redis.hget(keys.payment(paymentId), 'dispute_status')).toBe('needs_response');
      await expect(admin.nextMessage({ from: q.b.botJid, timeout: 300 })).rejects.toThrow();
      // The number stays the person's: what a refund means is the admin's call.
      expect(await q.b.redis.get(keys.catapultJid(tel))).toBe(u.bare);
    } finally {
      await q.close();
    }
  });
});
