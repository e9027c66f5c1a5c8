// Card payments in Redis: the payment record and its link token, and the two atomic ends of a payment
// (fulfilled: plan, balance and number in one script; closed: the held number freed).
import type { Redis } from 'ioredis';
import { isoDay, monthOf } from '../domain/months.js';
import { openPaymentOf } from '../domain/payments.js';
import type {
  CheckoutIntent,
  CheckoutRef,
  CloseOutcome,
  Fulfilled,
  OpenPayment,
  FulfilOutcome,
  HoldFor,
  Payment,
  PaymentRecords,
  Purpose,
  Renewal,
  Tell,
  TrialPlans,
} from '../domain/ports.js';
import { holdDeadline, paymentDeadline } from './deadlines.js';
import { keys, payHolder } from './keys.js';
import { tellsArg } from './outbox.js';
import { guarded } from './redis.js';
import { scripts } from './scripts.js';

/** Stripe retries an event for up to 3 days; remember handled events a while longer. */
const EVENT_TTL_SECONDS = 30 * 24 * 3600;
/** A payment's record outlives its link so late events still find it. */
const PAYMENT_TTL_SECONDS = 90 * 24 * 3600;
/** "Paid by session X" is kept for a year: a very late duplicate still credits nothing twice. */
const DONE_TTL_SECONDS = 400 * 24 * 3600;

function fields(p: Payment): string[] {
  return [
    'id',
    p.id,
    'token',
    p.token,
    'jid',
    p.jid,
    'purpose',
    p.purpose,
    'plan',
    p.plan,
    'tel',
    p.tel,
    'amount',
    String(p.amount),
    'currency',
    p.currency,
    'price',
    String(p.price),
    'created_at',
    p.createdAt,
    'generation',
    String(p.generation),
    'state',
    p.state,
    ...checkoutFields(p.checkout),
  ];
}

function checkoutFields(c: CheckoutRef): string[] {
  return ['checkout_id', c.id, 'checkout_url', c.url, 'checkout_expires_at', String(c.expiresAt)];
}

function fromHash(h: Record<string, string>): Payment | undefined {
  if (!h.id || !h.jid || !h.token) return undefined;
  return {
    id: h.id,
    token: h.token,
    jid: h.jid,
    purpose: h.purpose as Purpose,
    plan: h.plan ?? '',
    tel: h.tel ?? '',
    amount: Number(h.amount),
    currency: h.currency ?? '',
    price: Number(h.price ?? 0),
    createdAt: h.created_at ?? '',
    generation: Number(h.generation ?? 0),
    checkout: { id: h.checkout_id ?? '', url: h.checkout_url ?? '', expiresAt: Number(h.checkout_expires_at ?? 0) },
    state: (h.state ?? 'closed') as Payment['state'],
    ...(h.outcome
      ? {
          result: {
            outcome: h.outcome as FulfilOutcome,
            checkout: h.result_checkout ?? '',
            balance: Number(h.balance_after ?? 0),
            monthsAhead: Number(h.months_ahead ?? 0),
            plan: h.result_plan ?? '',
          },
        }
      : {}),
  };
}

export class PaymentStore implements PaymentRecords {
  constructor(private readonly redis: Redis) {}

  async get(id: string): Promise<Payment | undefined> {
    return fromHash(await guarded(() => this.redis.hgetall(keys.payment(id))));
  }

  async tellOnce(paymentId: string, checkout: string, to: string, text: string): Promise<boolean> {
    const r = await scripts.noticeOnce.run(
      this.redis,
      [keys.paymentTold(paymentId, checkout), keys.outbox],
      [to, text, `payment-${paymentId}`, DONE_TTL_SECONDS],
    );
    return r === 1;
  }

  async byToken(token: string): Promise<Payment | undefined> {
    const id = await guarded(() => this.redis.get(keys.payToken(token)));
    return id ? this.get(id) : undefined;
  }

  /**
   * Save an open payment and its token, for `ttlSeconds` (the Checkout Session's life plus a margin). For a
   * signup the number must still be held by `sessionOwner` (or by this payment), and becomes held by it.
   */
  async open(p: Payment, sessionOwner: string, hold: HoldFor): Promise<'ok' | 'unavailable'> {
    return (await scripts.openPayment.run(
      this.redis,
      [
        keys.payment(p.id),
        keys.payToken(p.token),
        p.tel ? keys.reservation(p.tel) : keys.reservation(''),
        keys.paymentOpen(p.jid),
        keys.deadlines,
      ],
      [
        p.id,
        sessionOwner,
        hold.ttlSeconds,
        PAYMENT_TTL_SECONDS,
        p.tel,
        JSON.stringify(openPaymentOf(p, p.checkout)),
        paymentDeadline(p.id),
        hold.until.getTime(),
        p.tel ? holdDeadline(p.tel, sessionOwner, p.jid) : '',
        ...fields(p),
      ],
    )) as 'ok' | 'unavailable';
  }

  async intent(paymentId: string, generation: number, proposal: CheckoutIntent, ttlSeconds: number): Promise<CheckoutIntent> {
    // SET … NX GET: one round trip that either keeps this proposal or answers the one made first.
    const earlier = await guarded(() =>
      this.redis.set(keys.checkoutIntent(paymentId, generation), JSON.stringify(proposal), 'EX', ttlSeconds, 'NX', 'GET'),
    );
    return earlier ? (JSON.parse(earlier) as CheckoutIntent) : proposal;
  }

  async byIntent(paymentIntent: string): Promise<Payment | undefined> {
    const id = await guarded(() => this.redis.get(keys.paymentIntent(paymentIntent)));
    return id ? this.get(id) : undefined;
  }

  async recordCharge(
    eventId: string,
    paymentId: string,
    fields: Readonly<Record<string, string>>,
    tells: readonly Tell[],
  ): Promise<'recorded' | 'duplicate' | 'unknown'> {
    return (await scripts.recordCharge.run(
      this.redis,
      [keys.stripeEvent(eventId), keys.payment(paymentId), keys.outbox],
      [EVENT_TTL_SECONDS, tellsArg(tells), ...Object.entries(fields).flat()],
    )) as 'recorded' | 'duplicate' | 'unknown';
  }

  async openFor(jid: string): Promise<OpenPayment | undefined> {
    const raw = await guarded(() => this.redis.get(keys.paymentOpen(jid)));
    return raw ? (JSON.parse(raw) as OpenPayment) : undefined;
  }

  /** Record a fresh Checkout Session for an open payment whose number (if any) is still held for it. */
  async replaceCheckout(p: Payment, checkout: CheckoutRef, generation: number, hold: HoldFor): Promise<'ok' | 'closed' | 'gone'> {
    return (await scripts.replaceCheckout.run(
      this.redis,
      [keys.payment(p.id), keys.payToken(p.token), keys.paymentOpen(p.jid), keys.deadlines],
      [
        p.id,
        hold.ttlSeconds,
        JSON.stringify(openPaymentOf(p, checkout)),
        paymentDeadline(p.id),
        hold.until.getTime(),
        'generation',
        String(generation),
        ...checkoutFields(checkout),
      ],
    )) as 'ok' | 'closed' | 'gone';
  }

  /** Whether the number of a signup payment is still held for it. */
  async holds(p: Payment): Promise<boolean> {
    if (!p.tel) return true;
    return (await guarded(() => this.redis.get(keys.reservation(p.tel)))) === payHolder(p.id);
  }

  /** Apply a paid Checkout Session, once: see fulfil-payment.lua. */
  async fulfil(
    eventId: string,
    paymentId: string,
    jid: string,
    checkoutId: string,
    amountPaid: number,
    trialPlans: TrialPlans,
    now: Date,
    paymentIntent = '',
    renew?: Renewal,
    months: Date = now,
  ): Promise<Fulfilled> {
    const r = (await scripts.fulfilPayment.run(
      this.redis,
      [
        keys.stripeEvent(eventId),
        keys.payment(paymentId),
        keys.paymentDone(paymentId),
        keys.planAsOf(monthOf(months, 0), jid),
        keys.planAsOf(monthOf(months, 1), jid),
        keys.balancePrepaid(jid),
        keys.paymentOpen(jid),
        keys.paymentIntent(paymentIntent),
        keys.planAsOf(monthOf(months, 2), jid),
        keys.planAsOf(monthOf(months, 3), jid),
        keys.planAsOf(monthOf(now, 0), jid),
      ],
      [
        EVENT_TTL_SECONDS,
        checkoutId,
        amountPaid,
        isoDay(now),
        trialPlans.first,
        trialPlans.second,
        DONE_TTL_SECONDS,
        paymentIntent,
        renew?.plan ?? '',
        renew?.charge ?? 0,
      ],
    )) as string[];
    const [outcome, rjid = '', purpose = '', tel = '', plan = '', balance = '0', written = '0'] = r;
    return {
      outcome: outcome as FulfilOutcome,
      jid: rjid,
      purpose: purpose as Purpose,
      tel,
      plan,
      balance: Number(balance),
      monthsAhead: Number(written),
    };
  }

  async creditInviter(
    friend: string,
    amount: number,
    tells: (inviter: string, balance: number) => Promise<readonly Tell[]>,
  ): Promise<{ inviter: string; balance: number } | undefined> {
    // The message names the new balance: written for the balance read, and made again if it changed meanwhile.
    for (let attempt = 0; attempt < 5; attempt++) {
      const inviter = await guarded(() => this.redis.get(keys.invitedBy(friend)));
      if (!inviter) return undefined;
      const before = await guarded(() => this.redis.get(keys.balancePrepaid(inviter)));
      const balance = Number(before ?? 0) + amount;
      const r = await scripts.creditInviter.run(
        this.redis,
        [keys.invitedBy(friend), keys.balancePrepaid(inviter), keys.outbox],
        [inviter, amount, before ?? '', tellsArg(await tells(inviter, balance))],
      );
      if (r === null) return undefined;
      if (r !== 'stale') return { inviter, balance: Number(r) };
    }
    throw new Error(`the inviter's balance of ${friend} kept changing; the credit is tried again on the next event`);
  }

  /** Close a payment whose Checkout Session expired or failed, freeing its number: see close-payment.lua. */
  async close(eventId: string, paymentId: string, jid: string, checkoutId: string, tells: readonly Tell[]): Promise<CloseOutcome> {
    return (await scripts.closePayment.run(
      this.redis,
      [keys.stripeEvent(eventId), keys.payment(paymentId), keys.paymentDone(paymentId), keys.paymentOpen(jid), keys.outbox, keys.deadlines],
      [EVENT_TTL_SECONDS, checkoutId, tellsArg(tells), paymentDeadline(paymentId)],
    )) as CloseOutcome;
  }

  async holdWhileProcessing(
    eventId: string,
    p: Payment,
    checkoutId: string,
    holdSeconds: number,
    tells: readonly Tell[],
  ): Promise<'held' | 'duplicate' | 'unknown'> {
    return (await scripts.holdProcessing.run(
      this.redis,
      [
        keys.stripeEvent(eventId),
        keys.payment(p.id),
        keys.payToken(p.token),
        keys.paymentOpen(p.jid),
        keys.reservation(p.tel),
        keys.outbox,
      ],
      [EVENT_TTL_SECONDS, checkoutId, holdSeconds, tellsArg(tells)],
    )) as 'held' | 'duplicate' | 'unknown';
  }

  /** Remember an event that needs no write (e.g. "completed, payment still processing"); false if seen before. */
  async firstSight(eventId: string): Promise<boolean> {
    const r = await guarded(() => this.redis.set(keys.stripeEvent(eventId), '1', 'EX', EVENT_TTL_SECONDS, 'NX'));
    return r === 'OK';
  }

  async balance(jid: string): Promise<number> {
    return Number((await guarded(() => this.redis.get(keys.balancePrepaid(jid)))) ?? 0);
  }
}
