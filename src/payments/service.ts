// Card payments end to end: open a Checkout Session for a purchase, serve its link, and act on Stripe's
// events (fulfil once, or close and free the number), telling the person what happened.
import { createHash } from 'node:crypto';
import type { AccountState } from '../domain/account-state.js';
import { activationCharge, formatMoney, planName, type Catalogue } from '../domain/catalogue.js';
import { monthEnd, yyyymm } from '../domain/months.js';
import { currencyFor, renewsOn } from '../domain/purchase.js';
import { paymentClosedText } from '../domain/notices.js';
import { formatTel } from '../domain/phone.js';
import type {
  CancelledSignup,
  Clock,
  HoldFor,
  Log,
  NewId,
  OpenLink,
  Payment,
  PaymentRecords,
  PaymentsPort,
  Purchase,
  Tell,
  TrialPlans,
} from '../domain/ports.js';
import { CHECKOUT_MINUTES, PaymentsUnreachable } from '../domain/payments.js';
import type { ChargeEvent, CheckoutEvent, Gateway, ProcessorEvent } from './gateway.js';

export interface ServiceOptions {
  readonly store: PaymentRecords;
  readonly gateway: Gateway;
  readonly catalogue: Catalogue;
  readonly trialPlans: TrialPlans;
  /** Who is told of refunds and disputes. */
  readonly admins: readonly string[];
  readonly publicUrl: string;
  readonly now: Clock;
  /** Payment link tokens: unguessable, they are the only key to a payment page. */
  readonly newToken: NewId;
  readonly accountState: (jid: string) => Promise<AccountState>;
  readonly log: Log;
  /** Minor units credited to an inviter when the friend first pays (0: none). */
  readonly inviteCredit?: number;
}

/** Stripe keeps an idempotency key 24 h: what was agreed for it is kept a little longer. */
const INTENT_TTL_SECONDS = 25 * 3600;
/** Stripe refuses a Checkout Session that expires sooner than 30 minutes from now. */
const MIN_EXPIRY_MS = 31 * 60_000;
/** Stripe settles delayed methods (bank debits) within days: the number is held that long once one is processing. */
const PROCESSING_HOLD_SECONDS = 14 * 24 * 3600;
/** The number is held as long as the Checkout Session lives, plus a margin for late events. */
const HOLD_MARGIN_SECONDS = 15 * 60;
/** A payment still being settled when its deadline comes is looked at again this much later (until its hash lapses). */
const LOOK_AGAIN_PROCESSING_MS = 24 * 3_600_000;
/** A stored session about to expire is not handed out: the person needs time to type a card number. */
const MIN_LEFT_MS = 5 * 60_000;

const TOKEN = /^[\w-]{16,64}$/;

/** Where a payment link leads. */
export type LinkOutcome = { readonly redirect: string } | { readonly page: 'expired' | 'paid' | 'processing' | 'unavailable' };

export type EventOutcome = 'ignored' | 'duplicate' | 'processing' | 'fulfilled' | 'closed' | 'stale' | 'rejected' | 'recorded';

/**
 * Which months a paid payment writes: those it was priced for (one confirmed after the month turned buys what it
 * was priced for: the month it was opened in counts as covered, and the next); a renewal by top-up is now.
 */
function monthsOf(p: Payment, now: Date): Date {
  const pricedAt = new Date(p.createdAt);
  return Number.isNaN(pricedAt.getTime()) || p.purpose === 'top-up' ? now : pricedAt;
}

export class PaymentService implements PaymentsPort {
  constructor(private readonly o: ServiceOptions) {}

  /**
   * Same person, purpose, plan, number, amount and month → same payment while it is open (and so the same
   * Stripe session); once it is paid or closed, the next round of the same purchase gets the next id.
   */
  static paymentId(jid: string, p: Purchase, now: Date, round: number): string {
    const basis = [jid, p.purpose, p.plan, p.tel, p.amount, p.currency, yyyymm(now), round].join('\n');
    return createHash('sha256').update(basis).digest('base64url').slice(0, 24);
  }

  /** The open payment for this purchase, or the id a new one gets. */
  private async current(jid: string, purchase: Purchase, now: Date): Promise<{ id: string; open?: Payment }> {
    for (let round = 1; ; round++) {
      const id = PaymentService.paymentId(jid, purchase, now, round);
      const p = await this.o.store.get(id);
      if (!p) return { id };
      if (p.state === 'open' || p.state === 'processing') return { id, open: p };
    }
  }

  async checkout(jid: string, purchase: Purchase, sessionOwner: string): Promise<{ url: string } | 'number-gone' | 'processing'> {
    const now = this.o.now();
    const { id, open: existing } = await this.current(jid, purchase, now);
    // Being settled (a bank debit): a second session for it could be paid twice.
    if (existing?.state === 'processing') return 'processing';
    if (existing && existing.checkout.expiresAt - now.getTime() > MIN_LEFT_MS && (await this.o.store.holds(existing))) {
      return { url: this.link(existing.token) };
    }
    const { generation, token, checkout } = await this.newCheckout(
      id,
      (existing?.generation ?? 0) + 1,
      jid,
      purchase,
      this.o.newToken(),
      now,
    );
    const payment: Payment = { id, token, jid, ...purchase, createdAt: now.toISOString(), generation, checkout, state: 'open' };
    const r = await this.o.store.open(payment, sessionOwner, holdFor(checkout.expiresAt, now));
    // The session made for a number someone else took is never shown to anyone; it just expires at Stripe.
    if (r === 'unavailable') return 'number-gone';
    this.o.log.info(
      `payment ${id}: checkout ${checkout.id} for ${purchase.purpose} ${purchase.plan || ''} ${purchase.amount} ${purchase.currency}`,
      {
        event: 'payment.checkout',
        payment: id,
        checkout: checkout.id,
        purpose: purchase.purpose,
        amount: purchase.amount,
        currency: purchase.currency,
      },
    );
    return { url: this.link(token) };
  }

  balance(jid: string): Promise<number> {
    return this.o.store.balance(jid);
  }

  /** What a return page may say: paid only once Stripe's event was applied, never because of the redirect. */
  async linkState(token: string): Promise<Payment['state'] | undefined> {
    if (!TOKEN.test(token)) return undefined;
    return (await this.o.store.byToken(token))?.state;
  }

  /** `GET /pay/<token>`: to the Checkout page, making a fresh session if the old one expired and the number is still held. */
  async openLink(token: string): Promise<LinkOutcome> {
    const p = TOKEN.test(token) ? await this.o.store.byToken(token) : undefined;
    if (!p) return { page: 'expired' };
    if (p.state === 'paid') return { page: 'paid' };
    if (p.state === 'processing') return { page: 'processing' };
    if (p.state !== 'open') return { page: 'expired' };
    const now = this.o.now();
    if (p.checkout.expiresAt - now.getTime() > 60_000) return { redirect: p.checkout.url };
    if (!(await this.o.store.holds(p))) return { page: 'expired' };
    let made: Awaited<ReturnType<PaymentService['newCheckout']>>;
    try {
      made = await this.newCheckout(p.id, p.generation + 1, p.jid, p, p.token, now);
    } catch (err) {
      if (err instanceof PaymentsUnreachable) {
        this.o.log.warn(err.message, { event: 'payment.unreachable', payment: p.id });
        return { page: 'unavailable' };
      }
      throw err;
    }
    const r = await this.o.store.replaceCheckout(p, made.checkout, made.generation, holdFor(made.checkout.expiresAt, now));
    return r === 'ok' ? { redirect: made.checkout.url } : { page: 'expired' };
  }

  /**
   * Ask Stripe for Checkout Session `generation` of payment `id`, its link token and expiry agreed once in Redis,
   * so that two presses at once (or a retry after a session was made but not saved) send Stripe the same
   * parameters under the same idempotency key. A generation agreed so long ago that its expiry is too near for
   * Stripe (at least 30 minutes ahead) is passed over for the next.
   */
  private async newCheckout(id: string, generation: number, jid: string, purchase: Purchase, token: string, now: Date) {
    for (let g = generation; ; g++) {
      const agreed = await this.o.store.intent(id, g, { token, expiresAt: now.getTime() + CHECKOUT_MINUTES * 60_000 }, INTENT_TTL_SECONDS);
      if (agreed.expiresAt - now.getTime() < MIN_EXPIRY_MS && g < generation + 3) continue;
      const { purpose, plan, tel, amount, currency, price } = purchase;
      const checkout = await this.o.gateway.createCheckout({
        paymentId: id,
        generation: g,
        jid,
        purpose,
        plan,
        tel,
        amount,
        currency,
        price,
        description: this.describe(purchase),
        successUrl: `${this.link(agreed.token)}/success`,
        cancelUrl: `${this.link(agreed.token)}/cancel`,
        expiresAt: new Date(agreed.expiresAt),
      });
      return { generation: g, token: agreed.token, checkout };
    }
  }

  /** A verified Checkout Session event. Idempotent: a replayed or repeated event changes nothing. */
  async onEvent(e: ProcessorEvent): Promise<EventOutcome> {
    if ('charge' in e) return this.onCharge(e);
    const paymentId = e.session.paymentId;
    if (!paymentId || !e.type.startsWith('checkout.session.')) return 'ignored';
    switch (e.type) {
      case 'checkout.session.completed':
        if (e.session.paymentStatus === 'paid') return this.fulfil(e, paymentId);
        return this.processing(e, paymentId);
      case 'checkout.session.async_payment_succeeded':
        return this.fulfil(e, paymentId);
      case 'checkout.session.expired':
      case 'checkout.session.async_payment_failed':
        return this.close(e, paymentId);
      default:
        return 'ignored';
    }
  }

  /**
   * A refund or a dispute: recorded on the payment it concerns, and the admins are told. What it means for the
   * account (end it, keep it, charge again) is theirs to decide: the bot changes nothing else.
   */
  private async onCharge(e: ChargeEvent): Promise<EventOutcome> {
    if (!e.type.startsWith('charge.refunded') && !e.type.startsWith('charge.dispute.')) return 'ignored';
    const p = e.charge.paymentIntent ? await this.o.store.byIntent(e.charge.paymentIntent) : undefined;
    if (!p) return (await this.o.store.firstSight(e.id)) ? 'ignored' : 'duplicate';
    const refund = e.type === 'charge.refunded';
    const at = this.o.now().toISOString();
    const fields: Record<string, string> = refund
      ? { refunded_amount: String(e.charge.amount), refunded_at: at }
      : {
          dispute_status: e.charge.status ?? e.type.slice('charge.dispute.'.length),
          dispute_reason: e.charge.reason ?? '',
          dispute_at: at,
        };
    const money = formatMoney(e.charge.amount, e.charge.currency || p.currency);
    const what = `${p.purpose}${p.tel ? ` of ${formatTel(p.tel)}` : ''} by ${p.jid} (payment ${p.id})`;
    const text = refund
      ? `Refund recorded: ${money} of the ${what} was refunded in Stripe. The account was not changed; decide what it means for it.`
      : `Dispute ${fields.dispute_status}: ${money} of the ${what}${e.charge.reason ? `, reason ${e.charge.reason}` : ''}. Answer it in the Stripe dashboard; the account was not changed.`;
    const why = refund ? 'refund' : 'dispute';
    const r = await this.o.store.recordCharge(
      e.id,
      p.id,
      fields,
      this.o.admins.map((admin) => ({ to: admin, body: text, why })),
    );
    if (r !== 'recorded') return r === 'duplicate' ? 'duplicate' : 'ignored';
    this.o.log.info(`payment ${p.id}: ${e.type} ${e.charge.amount} ${e.charge.currency}`, {
      event: 'payment.charge',
      payment: p.id,
      type: e.type,
      stripeEvent: e.id,
    });
    return 'recorded';
  }

  /** A delayed method (a bank debit): the number stays held, and the link works, until Stripe settles it. */
  private async processing(e: CheckoutEvent, paymentId: string): Promise<EventOutcome> {
    const p = await this.o.store.get(paymentId);
    if (!p) return (await this.o.store.firstSight(e.id)) ? 'processing' : 'duplicate';
    const tells = [
      { to: p.jid, body: 'Thanks: your payment is being processed. You will get a message here as soon as it clears.', why: 'processing' },
    ];
    const r = await this.o.store.holdWhileProcessing(e.id, p, e.session.id, PROCESSING_HOLD_SECONDS, tells);
    return r === 'duplicate' ? 'duplicate' : 'processing';
  }

  private async fulfil(e: CheckoutEvent, paymentId: string): Promise<EventOutcome> {
    const p = await this.o.store.get(paymentId);
    if (!p) return 'ignored';
    const paid = e.session.amountTotal ?? 0;
    // Amounts come from the catalogue: a session that charged another currency or less than asked is not ours to honour.
    if (e.session.currency !== p.currency || paid < p.amount) {
      if (await this.o.store.firstSight(e.id)) {
        this.o.log.error(
          `payment ${p.id}: session ${e.session.id} paid ${paid} ${e.session.currency}, expected ${p.amount} ${p.currency}; not applied, check the Stripe dashboard`,
          { event: 'payment.mismatch', payment: p.id, checkout: e.session.id, stripeEvent: e.id },
        );
      }
      return 'rejected';
    }
    const now = this.o.now();
    // A top-up by an expired account that was paying renews it from the balance, if the balance then covers it.
    const renewOn = p.purpose === 'top-up' ? renewsOn(await this.o.accountState(p.jid), this.o.catalogue) : undefined;
    const renew = renewOn ? { plan: renewOn.id, charge: activationCharge(renewOn.monthlyPrice, now).total } : undefined;
    const months = monthsOf(p, now);
    const r = await this.o.store.fulfil(
      e.id,
      p.id,
      p.jid,
      e.session.id,
      paid,
      this.o.trialPlans,
      now,
      e.session.paymentIntent,
      renew,
      months,
    );
    if (r.outcome === 'duplicate' || r.outcome === 'unknown') {
      // Applied before, but maybe the process stopped before the person's message was queued: queue it now (once).
      const again = r.outcome === 'duplicate' ? await this.o.store.get(p.id) : undefined;
      if (again?.result && again.result.checkout === e.session.id) {
        const text = await this.paymentMessage(again, { ...again.result, tel: again.tel }, paid, now);
        if (text) await this.o.store.tellOnce(p.id, e.session.id, p.jid, text);
        // So is the invite credit (once per friend, whichever try applies it).
        if (again.result.outcome === 'activated' || again.result.outcome === 'assigned') await this.creditInviter(p.jid);
      }
      return 'duplicate';
    }
    // Queued in the outbox once per Checkout Session: sent even if this process stops right after.
    const text = await this.paymentMessage(p, r, paid, now);
    if (text) await this.o.store.tellOnce(p.id, e.session.id, p.jid, text);
    this.o.log.info(`payment ${p.id}: ${r.outcome} by ${e.session.id} (${e.type})`, {
      event: 'payment.fulfilled',
      payment: p.id,
      outcome: r.outcome,
      checkout: e.session.id,
      stripeEvent: e.id,
    });
    // A friend's first payment for an account (not a top-up, not a payment whose number was gone) earns the credit.
    if (r.outcome === 'activated' || r.outcome === 'assigned') await this.creditInviter(p.jid);
    return 'fulfilled';
  }

  /** What the person is told a fulfilled payment came to. */
  private async paymentMessage(
    p: Payment,
    r: { readonly outcome: string; readonly tel: string; readonly plan: string; readonly balance: number; readonly monthsAhead: number },
    paid: number,
    now: Date,
  ): Promise<string | undefined> {
    const money = formatMoney(paid, p.currency);
    const balance = formatMoney(r.balance, p.currency);
    // The last month written, counted from the month the payment was priced in (a signup: next month; an upgrade:
    // the first month after the trial).
    const until = monthEnd(monthsOf(p, now), Math.max(r.monthsAhead, 0));
    switch (r.outcome) {
      case 'assigned':
        return `Payment received (${money}): your number is ${formatTel(r.tel)}, active until ${until}.`;
      case 'number-gone':
        return `Payment received (${money}), thank you. Sadly ${formatTel(r.tel)} was taken meanwhile: send "signup" to choose another number. You will not pay again.`;
      case 'activated': {
        // An upgrade keeps the trial's free months: the plan follows them.
        if (p.purpose === 'upgrade' && r.monthsAhead > 0)
          return `Payment received (${money}): ${planName(this.o.catalogue, p.plan)} follows your free trial, paid through ${until}.`;
        const state = await this.o.accountState(p.jid).catch(() => undefined);
        const tel =
          state && 'tel' in state
            ? `your number ${formatTel(state.tel)} is on ${planName(this.o.catalogue, p.plan)}`
            : `your plan is ${planName(this.o.catalogue, p.plan)}`;
        return `Payment received (${money}): ${tel}, active until ${until}.`;
      }
      case 'credited':
        return `Payment received (${money}). This period was already paid, so it went to your prepaid balance, now ${balance}.`;
      case 'renewed':
        return `Payment received: ${money} added to your prepaid balance, which renewed your account on ${planName(this.o.catalogue, r.plan)}, active until ${until}. Your balance is now ${balance}.`;
      case 'topped-up':
        return `Payment received: ${money} added to your prepaid balance, now ${balance}.`;
      default:
        return undefined;
    }
  }

  /** The first payment of a friend who signed up with an invite code earns its inviter INVITE_CREDIT, once. */
  private async creditInviter(friend: string): Promise<void> {
    const amount = this.o.inviteCredit ?? 0;
    if (amount <= 0) return;
    const r = await this.o.store.creditInviter(friend, amount, async (inviter, balance): Promise<Tell[]> => {
      // The balance is in the inviter's own plan currency.
      const currency = currencyFor(await this.o.accountState(inviter), this.o.catalogue) ?? this.o.catalogue.paid[0]?.currency ?? 'usd';
      const body = `A friend you invited made their first payment: ${formatMoney(amount, currency)} was added to your prepaid balance, now ${formatMoney(balance, currency)}.`;
      return [{ to: inviter, body, why: 'invite-credit' }];
    });
    if (r) this.o.log.info(`invite credit: ${amount} to the inviter of a paying friend`, { event: 'referral.invite_credit', amount });
  }

  private async close(e: CheckoutEvent, paymentId: string): Promise<EventOutcome> {
    // Read first: closing also forgets the owner's open-payment index, and the message says what it was for.
    const p = await this.o.store.get(paymentId);
    const failed = e.type === 'checkout.session.async_payment_failed';
    const r = await this.o.store.close(e.id, paymentId, p?.jid ?? '', e.session.id, p ? [closedTell(p, failed)] : []);
    if (r === 'stale') return 'stale';
    if (r !== 'closed') return r === 'unknown' ? 'ignored' : 'duplicate';
    return 'closed';
  }

  /**
   * The deadline of payment `id` came (bot-deadlines): its link and hold end now. A safety net for the
   * `checkout.session.expired` event that should have closed it: the session is expired at Stripe (unless it was
   * paid, its event on the way), then the payment is closed and the person told, as that event would have.
   * Returns when to look again, or nothing when the deadline is done.
   */
  async lapse(id: string, again = false): Promise<{ readonly next?: Date }> {
    const p = await this.o.store.get(id);
    const now = this.o.now();
    if (p?.state === 'processing') {
      // Being settled (a bank debit): if Stripe says it was paid and its event never came, it is applied now.
      const session = await this.o.gateway.checkoutSession(p.checkout.id);
      if (session.paymentStatus === 'paid') {
        await this.applyUnannounced(p, session, 'checkout.session.async_payment_succeeded');
        return {};
      }
      return { next: new Date(now.getTime() + LOOK_AGAIN_PROCESSING_MS) };
    }
    if (p?.state !== 'open') return {};
    const ends = p.checkout.expiresAt + HOLD_MARGIN_SECONDS * 1000;
    if (ends > now.getTime()) return { next: new Date(ends) };
    if ((await this.o.gateway.expireCheckout(p.checkout.id)) === 'paid') {
      // Paid (or being settled), and its event never came: applied from the session as Stripe has it now.
      const session = await this.o.gateway.checkoutSession(p.checkout.id);
      const outcome = await this.applyUnannounced(p, session, 'checkout.session.completed');
      return outcome === 'processing' ? { next: new Date(now.getTime() + LOOK_AGAIN_PROCESSING_MS) } : {};
    }
    const r = await this.o.store.close(`bot-lapsed-${p.checkout.id}`, p.id, p.jid, p.checkout.id, [closedTell(p, false)]);
    // A fresh Checkout Session replaced it meanwhile (the link was opened just now): that one's deadline holds.
    if (r === 'stale' && !again) return this.lapse(id, true);
    this.o.log.info(`payment ${p.id}: its link lapsed with no event from Stripe (${r})`, {
      event: 'payment.lapsed',
      payment: p.id,
      outcome: r,
    });
    return {};
  }

  /**
   * A Checkout Session Stripe says was completed, whose event the bot never got by the payment's deadline (a
   * webhook misconfigured, or down for days): applied as that event would have been, under an event id of the
   * bot's own (the real event, if it comes later, finds the payment fulfilled by that session: a duplicate).
   */
  private async applyUnannounced(p: Payment, session: CheckoutEvent['session'], type: string): Promise<EventOutcome> {
    const e: CheckoutEvent = { id: `bot-unannounced-${type}-${session.id}`, type, session: { ...session, paymentId: p.id } };
    const outcome = session.paymentStatus === 'paid' ? await this.fulfil(e, p.id) : await this.processing(e, p.id);
    this.o.log.warn(
      `payment ${p.id}: Stripe says ${session.id} was ${session.paymentStatus}, and no event came; applied (${outcome}): check the webhook`,
      {
        event: 'payment.unannounced',
        payment: p.id,
        checkout: session.id,
        outcome,
      },
    );
    return outcome;
  }

  async cancelOpenSignup(jid: string): Promise<CancelledSignup> {
    const open = await this.o.store.openFor(jid);
    if (open?.purpose !== 'signup') return { kind: 'none' };
    const p = await this.o.store.get(open.id);
    if (p?.state === 'processing') return { kind: 'settling', tel: p.tel };
    if (p?.state !== 'open') return { kind: 'none' };
    // Paid a moment ago, its webhook still on the way: closing it now would take the money and free the number.
    if ((await this.o.gateway.expireCheckout(p.checkout.id)) === 'paid') return { kind: 'settling', tel: p.tel };
    // As if Stripe had said the session expired (one event id per session, so a later real one is a duplicate).
    // The person is in the flow and is shown what happened: no message.
    const r = await this.o.store.close(`bot-cancelled-${p.checkout.id}`, p.id, p.jid, p.checkout.id, []);
    this.o.log.info(`payment ${p.id}: cancelled by its payer (${r})`, {
      event: 'payment.cancelled',
      payment: p.id,
      outcome: r,
    });
    return r === 'closed' ? { kind: 'cancelled', tel: p.tel } : { kind: 'none' };
  }

  async openFor(jid: string): Promise<OpenLink | undefined> {
    const p = await this.o.store.openFor(jid);
    if (!p || p.expiresAt <= this.o.now().getTime()) return undefined;
    return {
      url: this.link(p.token),
      purpose: p.purpose,
      tel: p.tel,
      amount: p.amount,
      currency: p.currency,
      until: new Date(p.expiresAt),
    };
  }

  private describe(p: Pick<Payment, 'purpose' | 'plan' | 'tel'>): string {
    if (p.purpose === 'top-up') return 'Prepaid balance top-up';
    const plan = planName(this.o.catalogue, p.plan);
    return p.tel ? `${plan}, ${formatTel(p.tel)}` : plan;
  }

  private link(token: string): string {
    return `${this.o.publicUrl}/pay/${token}`;
  }
}

/** A payment's link and number are held as long as its Checkout Session lives, plus a margin for late events. */
function holdFor(expiresAtMs: number, now: Date): HoldFor {
  const ttlSeconds = Math.max(60, Math.ceil((expiresAtMs - now.getTime()) / 1000)) + HOLD_MARGIN_SECONDS;
  return { ttlSeconds, until: new Date(now.getTime() + ttlSeconds * 1000) };
}

/** What the person is told when a payment closes unpaid. */
function closedTell(p: Payment, failed: boolean): Tell {
  return { to: p.jid, body: paymentClosedText(failed, p.purpose, p.tel), why: failed ? 'payment-failed' : 'payment-lapsed' };
}
