// The narrow ports the commands, the runtime and the payment service need. src/store implements them on Redis
// (and the test kit in memory); nothing here knows Redis, Stripe or XMPP.
import type { AccountFacts } from './account-state.js';
import type { LeafChargeBasis } from './catalogue.js';
import type { CodeKind, ReferralCode } from './codes.js';
import type { DueNotice } from './notices.js';
import type { ReleaseFacts } from './release.js';
import type { RolloverDecision, RolloverFacts } from './rollover.js';
import type { DayUsage, UsageKind } from './usage.js';

// ---- clock, ids, log ----

export type Clock = () => Date;
/** A fresh unguessable id (session ids, message ids, payment link tokens). */
export type NewId = () => string;

/**
 * What a log line carries besides its message: `event` (its name, e.g. `payment.fulfilled`) and the ids that
 * matter (node, session, payment, Stripe request). Never secrets, tokens or card data.
 */
export type LogFields = Readonly<Record<string, string | number | boolean | undefined>>;

export interface Log {
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

// ---- metrics ----

/** Which UI a stanza came through. */
export type Ui = 'adhoc' | 'chat';

/**
 * What one stanza did, as the runtime saw it. `outcome`: `next` (a step shown, the session goes on), `completed`,
 * `canceled`, `repeated` (the same question again: a bad reply, help, a stale menu), `expired`, `busy`, `none`
 * (no such session), an XEP-0050 condition (`forbidden`, `bad-request`…), `unavailable` (Redis) or `failed`.
 */
export interface StepRecord {
  readonly ui: Ui;
  /** A registered node, or '' when the stanza named none the bot has. */
  readonly command: string;
  readonly outcome: string;
  readonly seconds: number;
}

/** A session's life: started (stored for the first time), ended (finished, cancelled, replaced), expired (found timed out). */
export type SessionEvent = 'started' | 'ended' | 'expired';

/** What the bot counts for its operators (src/metrics.ts turns it into Prometheus text). */
export interface Metrics {
  step(s: StepRecord): void;
  session(event: SessionEvent): void;
  /** A Stripe webhook: its event type (or `unverified`) and what the bot made of it. */
  webhook(type: string, outcome: string): void;
  /** A rollover run: `result` ok or failed, and its accounts per outcome. */
  rollover(result: 'ok' | 'failed', outcomes: Readonly<Record<string, number>>): void;
  /** Deadlines acted on (bot-deadlines), by `kind:outcome` (hold:lapsed, payment:done, …). */
  deadlines(outcomes: Readonly<Record<string, number>>): void;
}

/** For tests and tools that do not look at metrics. */
export const noMetrics: Metrics = { step() {}, session() {}, webhook() {}, rollover() {}, deadlines() {} };

// ---- monthly billing ----

/** The rollover's reads and writes (src/store/rollover.ts). */
export interface RolloverPort {
  /** One page of the accounts index: `cursor` '0' starts, and a returned '0' means the walk is over. */
  page(cursor: string, count: number): Promise<{ readonly cursor: string; readonly jids: readonly string[] }>;
  facts(jids: readonly string[], month: string): Promise<RolloverFacts[]>;
  /** 'done': the month was already rolled over for it; 'stale': what it was decided on changed (read again). */
  apply(jid: string, month: string, decision: Exclude<RolloverDecision, { kind: 'skip' }>): Promise<'ok' | 'done' | 'stale'>;
  /** Queue a notice unless it was already (per account, kind, stage and month): true when queued now. */
  noticeOnce(jid: string, n: DueNotice): Promise<boolean>;
  /** For number release: each account's number (if the bot gave it) and plans for `month` and `back` months before. */
  releaseFacts(jids: readonly string[], month: string, back: number): Promise<ReleaseFacts[]>;
  /** Give an ended account's number back to the inventory, with its message, if it is still ended and still its. */
  release(jid: string, tel: string, month: string, text: string, endedMonth: string): Promise<boolean>;
}

/**
 * A message the bot decided to send, handed to a store call with the change it reports: the script that makes
 * the change queues it in the outbox, so it is sent if and only if the change was made. `why`: a short tag.
 */
export interface Tell {
  readonly to: string;
  readonly body: string;
  readonly why: string;
}

/** A deadline that came (bot-deadlines): `member` as stored. */
export type Deadline =
  | { readonly member: string; readonly kind: 'payment'; readonly id: string }
  | { readonly member: string; readonly kind: 'hold'; readonly tel: string; readonly holder: string; readonly jid: string };

/**
 * What a signup's hold on a number came to at its deadline: 'lapsed' (the person was told), 'moved' (it went on
 * to their approval, payment or account), 'held' (made again; due later), 'gone' (let go on purpose meanwhile),
 * 'retry' (it changed while being looked at).
 */
export type HoldLapse = 'lapsed' | 'moved' | 'held' | 'gone' | 'retry';

export interface DeadlinesPort {
  /** Up to `count` deadlines due by `now`, each put `retryMs` later as it is taken (so one process takes it). */
  take(now: Date, count: number, retryMs: number): Promise<{ readonly due: Deadline[]; readonly unreadable: string[] }>;
  /** Due again at `at` (unless it was taken out meanwhile). */
  later(member: string, at: Date): Promise<void>;
  done(member: string): Promise<void>;
  /** A hold's deadline: tell `jid` (with `text`) if it lapsed, in one script with forgetting the deadline. */
  hold(d: Extract<Deadline, { kind: 'hold' }>, now: Date, text: (n: NumberInfo) => string): Promise<HoldLapse>;
}

/** Usage of a number as the gateway counted it (src/store/usage.ts). */
export interface UsagePort {
  /** Each day from `from` to `to` (YYYY-MM-DD), in order, with 0 where nothing was counted. */
  days(tel: string, from: string, to: string): Promise<DayUsage[]>;
  /** Add `count` to `kind` of `tel` on `day` (what a gateway does; the CLI and the demo use it); the new count. */
  record(tel: string, kind: UsageKind, count: number, day: string): Promise<number>;
}

/** The reservation holder of a number the web site chose for `jid` (web-register), until that person answers. */
export const webHolder = (jid: string) => `web:${jid}`;

/** The web site chose `tel` for `jid` (web-register). */
export interface WebChoiceRequest {
  readonly jid: string;
  readonly tel: string;
  readonly holdSeconds: number;
  readonly at: Date;
  /** The message to `jid`, queued with the hold. */
  readonly tells: readonly Tell[];
  /** Whether `jid` is told when the hold lapses (only someone it was offered to). */
  readonly tellLapse: boolean;
  /** Messages one address may be sent per hour, with resends (WEB_REGISTER_MESSAGES_PER_HOUR). */
  readonly perHour: number;
}

/** Signup that starts on the web site (src/store/web-register.ts). */
export interface WebRegisterPort {
  /**
   * Hold `tel` for `jid` (`web:JID`) and remember it as the JID's web choice, letting go of an earlier one, with
   * its message; 'unavailable' when the number is not in the inventory or someone else holds it.
   */
  choose(c: WebChoiceRequest): Promise<'ok' | 'unavailable' | 'limited'>;
  /** The number the site last chose for `jid`, while it waits (whoever `jid` is). */
  choiceOf(jid: string): Promise<string | undefined>;
  /**
   * Queue `tells` again if a web choice waits for `jid`: 'none' if none does, 'limited' past `perHour` asks in
   * the last hour (counted whatever the JID is).
   */
  resend(jid: string, perHour: number, tells: readonly Tell[]): Promise<'sent' | 'none' | 'limited'>;
  /** The person declines the number the site chose: the hold and the choice go. */
  decline(jid: string, tel: string): Promise<void>;
}

/** How long a payment's link and number are held: `ttlSeconds` from now, until `until`. */
export interface HoldFor {
  readonly ttlSeconds: number;
  readonly until: Date;
}

/** A message the bot decided to send, waiting in the outbox (src/store/outbox.ts). */
export interface OutboxMessage {
  readonly id: string;
  readonly to: string;
  readonly body: string;
}

/**
 * The durable outbox: messages written with the change they report, delivered by one sender at a time each.
 * A message is deleted once sent; one read by a sender that died is taken over by another after a while.
 */
export interface OutboxPort {
  /**
   * The next messages for this sender, waiting up to `blockMs` for some; `own`: those it read before and did not
   * confirm (after a failed send).
   */
  next(consumer: string, count: number, blockMs: number, which?: 'new' | 'own'): Promise<OutboxMessage[]>;
  /** Messages another sender read and did not confirm within `idleMs` (it died): now this one's. */
  stale(consumer: string, idleMs: number, count: number): Promise<OutboxMessage[]>;
  sent(ids: readonly string[]): Promise<void>;
  /** A stopping sender leaves the group, if it holds nothing unconfirmed (else another takes those over). */
  leave(consumer: string): Promise<void>;
  /** How many wait, and when the oldest was written (ms). */
  depth(): Promise<{ readonly count: number; readonly oldestMs?: number }>;
}

// ---- leases ----

/**
 * A short claim one process renews while it does something only one should (hold the component connection):
 * a crashed holder loses it when it lapses. A hint for the others, not a lock: the XMPP server decides.
 */
export interface Lease {
  hold(holder: string, ttlMs: number): Promise<void>;
  /** Take it if nobody holds it (or extend it if `holder` does): true when `holder` has it now. */
  acquire(holder: string, ttlMs: number): Promise<boolean>;
  /** Let go, if `holder` still has it. */
  release(holder: string): Promise<void>;
  held(): Promise<boolean>;
}

// ---- numbers ----

export interface NumberInfo {
  readonly tel: string;
  readonly rateCentre: string;
  readonly region: string;
}

/** What to list: by number prefix (`+1416`), by place prefix (`toronto`), or anything. */
export type NumberQuery = { readonly by: 'tel' | 'place'; readonly prefix: string };

export interface NumbersPort {
  /**
   * Up to `limit` numbers nobody else holds, in number order, after skipping the first `skip` of them (pages);
   * `owner`'s own reservations count as free.
   */
  list(query: NumberQuery, limit: number, owner: string, skip?: number): Promise<NumberInfo[]>;
  /**
   * Details of a number `owner` may choose: in the inventory and held by nobody else. Held, pending, assigned and
   * unknown numbers are all undefined alike, so nobody can learn which a number is.
   */
  info(tel: string, owner: string): Promise<NumberInfo | undefined>;
  /**
   * Where a number is, as this process last read it (listing or looking it up), without asking Redis; says nothing
   * about whether it is free (a 'number-free' claim does). A number's place does not change once imported.
   */
  known(tel: string): NumberInfo | undefined;
  /** Make the hold; false when the number is not in the inventory or someone else holds it. */
  reserve(hold: Hold): Promise<boolean>;
  /** Let go of `owner`'s hold on `tel`, on purpose: `jid` is not told it lapsed. */
  release(tel: string, owner: string, jid: string): Promise<void>;
}

/**
 * A number held for `holder` (a signup's session) for `ttlSeconds` from `at`, for the person `jid`: told when the
 * hold lapses (bot-deadlines), unless it is let go or goes on to an approval, a payment or the account first.
 */
export interface Hold {
  readonly tel: string;
  readonly holder: string;
  readonly jid: string;
  readonly ttlSeconds: number;
  readonly at: Date;
}

// ---- accounts ----

export interface PendingSignup {
  readonly jid: string;
  readonly tel: string;
  readonly method: string;
  readonly at: string;
}

/** `changed`: the pending signup is for another number than the admin saw (it was withdrawn and made again). */
export type ApproveResult = { readonly outcome: 'assigned' | 'number-gone' | 'not-pending' | 'changed'; readonly tel: string };

/** What an approval tells the person, for the number the admin saw. */
export interface ApprovalNotice {
  readonly tel: string;
  readonly assigned: string;
  readonly gone: string;
}

export interface TrialPlans {
  readonly first: string;
  readonly second: string;
}

export interface AccountsPort {
  /** What account state is derived from, in one round trip. */
  facts(jid: string, now: Date): Promise<AccountFacts>;
  pendingList(limit: number): Promise<PendingSignup[]>;
  pending(jid: string): Promise<PendingSignup | undefined>;
  /** Approve: trial plans for this month and next, and the held number, atomically. */
  /**
   * Approve, and queue the person's message (the outbox) in the same step: `tell` says which number the admin
   * saw and what to say either way; a pending signup that is for another number by now is left as it is
   * ('changed').
   */
  approve(jid: string, plans: TrialPlans, now: Date, tell?: ApprovalNotice): Promise<ApproveResult>;
  /** Deny: the number that was held, or undefined when nothing was pending. */
  /** Deny; with `tell`, the person's message goes into the outbox in the same step. */
  deny(jid: string, tell?: { readonly tel: string; readonly text: string }): Promise<string | undefined>;
  /** Sign up a JID that is already approved or paid, with the number its session holds. */
  assign(jid: string, tel: string, sessionOwner: string, now: Date): Promise<'ok' | 'unavailable' | 'already-registered'>;
}

// ---- payments ----

export type Purpose = 'signup' | 'renew' | 'upgrade' | 'top-up';

/** What a person is about to pay for; amounts come only from the plan catalogue. */
export interface Purchase {
  readonly purpose: Purpose;
  /** Paid plan id ('' for a top-up). */
  readonly plan: string;
  /** The number a signup holds ('' otherwise). */
  readonly tel: string;
  /** What the card is charged, in minor units of `currency`. */
  readonly amount: number;
  readonly currency: string;
  /** The plan's monthly price: what is paid beyond it goes to the prepaid balance (0 for a top-up). */
  readonly price: number;
}

/** What commands may do with card payments. */
export interface PaymentsPort {
  /**
   * A payment link for the requester, reusing the open one for the same purchase (pressing pay twice gives the
   * same link). 'number-gone' when the signup's number is no longer held; 'processing' when a payment for the
   * same purchase is already being settled. Throws PaymentsUnreachable.
   */
  checkout(jid: string, purchase: Purchase, sessionOwner: string): Promise<{ readonly url: string } | 'number-gone' | 'processing'>;
  balance(jid: string): Promise<number>;
  /** The person's open payment, with its link, if one is open. */
  openFor(jid: string): Promise<OpenLink | undefined>;
  /**
   * Cancel the person's open signup payment (they chose another number, or withdrew): its Checkout Session is
   * expired at the processor, so its link cannot be paid, and its number is free again. A session the person has
   * already paid is left to its confirmation ('settling'). Throws PaymentsUnreachable when that cannot be known.
   */
  cancelOpenSignup(jid: string): Promise<CancelledSignup>;
}

/** What cancelling an open signup payment did; `tel` is the number that payment holds (or held). */
export type CancelledSignup =
  | { readonly kind: 'none' }
  | { readonly kind: 'cancelled'; readonly tel: string }
  | { readonly kind: 'settling'; readonly tel: string };

export interface OpenLink {
  readonly url: string;
  readonly purpose: Purpose;
  /** The number a signup payment holds ('' otherwise). */
  readonly tel: string;
  readonly amount: number;
  readonly currency: string;
  /** Until when the link (and the hold on its number) lasts. */
  readonly until: Date;
}

/** A Checkout Session as the bot keeps it. */
export interface CheckoutRef {
  readonly id: string;
  readonly url: string;
  /** ms since the epoch. */
  readonly expiresAt: number;
}

export interface Payment extends Purchase {
  /** Deterministic for (JID, purchase, month) while open: pressing pay twice finds the same payment. */
  readonly id: string;
  /** The secret in the link `PUBLIC_URL/pay/<token>`. */
  readonly token: string;
  readonly jid: string;
  readonly createdAt: string;
  /** Bumped for each new Checkout Session (part of the processor's idempotency key). */
  readonly generation: number;
  readonly checkout: CheckoutRef;
  /** `processing`: Stripe took a delayed payment (a bank debit) and has not settled it yet. */
  readonly state: 'open' | 'processing' | 'paid' | 'closed';
  /** What the last Checkout Session applied to it came to (kept so its message can be made again). */
  readonly result?: PaymentResult;
}

/** A fulfilment as kept on its payment. */
export interface PaymentResult {
  readonly outcome: FulfilOutcome;
  readonly checkout: string;
  readonly balance: number;
  readonly monthsAhead: number;
  readonly plan: string;
}

export type FulfilOutcome = 'duplicate' | 'unknown' | 'assigned' | 'number-gone' | 'activated' | 'credited' | 'topped-up' | 'renewed';

/** An expired account's top-up renews it on `plan` if the balance then covers `charge` (its activation). */
export interface Renewal {
  readonly plan: string;
  readonly charge: number;
}
export interface Fulfilled {
  readonly outcome: FulfilOutcome;
  readonly jid: string;
  readonly purpose: Purpose;
  readonly tel: string;
  readonly plan: string;
  /** Prepaid balance after the payment, minor units. */
  readonly balance: number;
  /** The month the plan now runs through, in months from this one (an upgrade: the first after the trial). */
  readonly monthsAhead: number;
}

export type CloseOutcome = 'duplicate' | 'unknown' | 'paid' | 'stale' | 'closed';

/** What must be the same in every request for one Checkout Session (its idempotency key's parameters). */
export interface CheckoutIntent {
  readonly token: string;
  /** ms since the epoch. */
  readonly expiresAt: number;
}

/** A person's open card payment, as kept for giving its link again. */
export interface OpenPayment {
  readonly id: string;
  readonly token: string;
  readonly purpose: Purpose;
  readonly tel: string;
  readonly amount: number;
  readonly currency: string;
  /** ms since the epoch: when its Checkout Session (and the hold on its number) ends. */
  readonly expiresAt: number;
}

/** Where the payment service keeps payments; each method is one atomic step. */
export interface PaymentRecords {
  get(id: string): Promise<Payment | undefined>;
  byToken(token: string): Promise<Payment | undefined>;
  /**
   * Save an open payment and its token, for `hold`. For a signup the number must still be held by `sessionOwner`
   * (or by this payment), and becomes held by it. The payment's deadline (bot-deadlines) is when the hold ends.
   */
  open(p: Payment, sessionOwner: string, hold: HoldFor): Promise<'ok' | 'unavailable'>;
  /** Record a fresh Checkout Session for an open payment whose number (if any) is still held for it. */
  replaceCheckout(p: Payment, checkout: CheckoutRef, generation: number, hold: HoldFor): Promise<'ok' | 'closed' | 'gone'>;
  /** Whether the number of a signup payment is still held for it. */
  holds(p: Payment): Promise<boolean>;
  /** Apply a paid Checkout Session, once: plan, balance and number together. */
  fulfil(
    eventId: string,
    paymentId: string,
    jid: string,
    checkoutId: string,
    amountPaid: number,
    trialPlans: TrialPlans,
    now: Date,
    paymentIntent?: string,
    renew?: Renewal,
    /** Which months the plan keys are for (the payment's pricing time); `now` when not given. */
    months?: Date,
  ): Promise<Fulfilled>;
  /**
   * Queue the person's message about what Checkout Session `checkout` of a payment came to, once (the marker and
   * the message in one script): a webhook retried after a crash queues it if the first try did not.
   */
  tellOnce(paymentId: string, checkout: string, to: string, text: string): Promise<boolean>;
  /** The payment a Stripe PaymentIntent paid, if the bot fulfilled one with it. */
  byIntent(paymentIntent: string): Promise<Payment | undefined>;
  /** Record a refund or dispute on a payment, once per event. */
  recordCharge(
    eventId: string,
    paymentId: string,
    fields: Readonly<Record<string, string>>,
    tells: readonly Tell[],
  ): Promise<'recorded' | 'duplicate' | 'unknown'>;
  /** Close a payment of `jid` whose Checkout Session expired or failed, freeing its number; `tells` queued if it closed. */
  close(eventId: string, paymentId: string, jid: string, checkoutId: string, tells: readonly Tell[]): Promise<CloseOutcome>;
  /** The person's latest open payment, if any. */
  openFor(jid: string): Promise<OpenPayment | undefined>;
  /** Remember an event that needs no write; false if seen before. */
  firstSight(eventId: string): Promise<boolean>;
  /**
   * The payment's session completed but is still processing: keep its link and number held for `holdSeconds`
   * (until Stripe settles it). 'duplicate' for an event seen before, 'unknown' when no open payment has that session.
   */
  holdWhileProcessing(
    eventId: string,
    p: Payment,
    checkoutId: string,
    holdSeconds: number,
    tells: readonly Tell[],
  ): Promise<'held' | 'duplicate' | 'unknown'>;
  /**
   * The link token and expiry of a payment's Checkout Session number `generation`: the first proposal made is
   * kept (for `ttlSeconds`) and every later one gets it, so two presses at once ask the processor the same thing.
   */
  intent(paymentId: string, generation: number, proposal: CheckoutIntent, ttlSeconds: number): Promise<CheckoutIntent>;
  balance(jid: string): Promise<number>;
  /**
   * `friend` (signed up with an invite code) has paid: credit its inviter `amount`, once per friend, with the
   * messages `tells` writes for the inviter and their new balance. The inviter and that balance, or undefined when
   * there is no credit due.
   */
  creditInviter(
    friend: string,
    amount: number,
    tells: (inviter: string, balance: number) => Promise<readonly Tell[]>,
  ): Promise<{ readonly inviter: string; readonly balance: number } | undefined>;
}

// ---- sessions ----

/** Ad-hoc sessions are found by session id, chat sessions by bare JID (one conversation per person). */
export type SessionKey = { readonly adhoc: string } | { readonly chat: string };

/** Session documents as JSON-safe values; the runtime reads and checks them, the store only keeps them. */
/**
 * A conditional write a step rests on (or a check), made in one script with storing the step it leads to: one
 * round trip, and the session is stored only if the claim holds. Refused: why ('unavailable', 'already-pending').
 */
export type Claim =
  /** The number is in the inventory and nobody but `holder` holds it (nothing is written). */
  | { readonly kind: 'number-free'; readonly tel: string; readonly holder: string }
  /** Hold the number for `holder` (NumbersPort.reserve). */
  | ({ readonly kind: 'reserve' } & Hold)
  /** A trial signup waits for an admin: the number `holder` reserved becomes a lasting hold for the approval. */
  | {
      readonly kind: 'request-approval';
      readonly signup: PendingSignup;
      readonly holder: string;
      readonly at: Date;
      /** The admins' messages, queued with the request. */
      readonly tells: readonly Tell[];
    }
  /** Sign up with a code: the held number, and what the code gives (below), with one use of the code. */
  | { readonly kind: 'redeem-code'; readonly redeem: Redeem }
  /**
   * A trial account accepts `main`'s offer: its trial ends, and it is a leaf on list `list` with the main's plan
   * for every month the main has paid. Refused: 'unavailable' (the offer is gone), 'payer-cannot'.
   */
  | {
      readonly kind: 'accept-payer';
      readonly jid: string;
      readonly main: string;
      readonly list: string;
      readonly show: 'number' | 'jid';
      readonly at: Date;
      readonly trialPlans: TrialPlans;
      /** What the leaf costs the main now (its balance pays it). */
      readonly leafCharge: LeafChargeBasis;
      /** The main's message, queued with it. */
      readonly tells: readonly Tell[];
    };

/**
 * What signing up `jid` with the number `holder` holds and a code writes. A payer code: a leaf of `main` on
 * list `list`, with the main's paid plan for every month the main has paid from this one. An invite (or admin)
 * code: the two trial months, no approval. Refused: 'unavailable' (the code changed: used up, revoked, expired),
 * 'payer-cannot' (the main cannot pay now), 'number-gone'.
 */
export interface Redeem {
  readonly code: string;
  readonly kind: CodeKind;
  readonly jid: string;
  readonly tel: string;
  readonly holder: string;
  readonly at: Date;
  readonly trialPlans: TrialPlans;
  /** Payer codes: what the leaf costs the main now (its balance pays it). */
  readonly leafCharge?: LeafChargeBasis;
  readonly main?: string;
  readonly list?: string;
  readonly show?: 'number' | 'jid';
}

/** What becomes of a session once the claim it rests on holds. */
export type SessionWrite =
  | { readonly save: object; readonly ttlSeconds: number }
  | { readonly delete: true; readonly index?: SessionIndex };

/** A person's pointer to the session they last started of a command (SessionsPort.current). */
export interface SessionIndex {
  readonly bare: string;
  readonly node: string;
}

/** Whose account facts a session's take reads too, in the same round trip (a step's usual read). */
export interface FactsOf {
  readonly jid: string;
  readonly now: Date;
  /** With no session to take, also record that this person wrote (ContactsPort.firstContact), in the same call. */
  readonly contact?: boolean;
}

/** A take: the document and the lock that holds it, none, or held by another step; with the facts asked for. */
export type Taken =
  | { readonly kind: 'ok'; readonly doc: unknown; readonly lock: string; readonly facts?: AccountFacts }
  | { readonly kind: 'none'; readonly facts?: AccountFacts; readonly firstContact?: boolean }
  | { readonly kind: 'busy' };

export interface SessionsPort {
  get(key: SessionKey): Promise<unknown>;
  /**
   * The stored document, taken for one step: until it is saved, deleted or let go with `lock` (or `lockSeconds`
   * pass), a second take of it answers 'busy', so of two requests at once on one session exactly one acts.
   */
  take(key: SessionKey, lockSeconds: number, factsOf?: FactsOf): Promise<Taken>;
  /** Let go of a taken session without changing it (only if `lock` still holds it). */
  untake(key: SessionKey, lock: string): Promise<void>;
  /**
   * Keep `doc` for `ttlSeconds`, letting go of it if `lock` holds it; given `index` (a start), the person's
   * pointer to their latest session of its command names it from now on.
   */
  save(key: SessionKey, doc: object, ttlSeconds: number, lock?: string, index?: SessionIndex): Promise<void>;
  /** Forget it, letting go of it if `lock` holds it; and the person's pointer `index`, if it still points to it. */
  delete(key: SessionKey, lock?: string, index?: SessionIndex): Promise<void>;
  /**
   * Make `claim` and, only if it holds, `write` the session (letting go of it if `lock` holds it), atomically:
   * 'ok', or why the claim was refused (then nothing changed and the session stays taken).
   */
  commit(claim: Claim, key: SessionKey, write: SessionWrite, lock: string): Promise<string>;
  /** The session a person last started of a command (in either UI), if it may still be open. */
  current(bareJid: string, node: string): Promise<SessionKey | undefined>;
}

// ---- referral codes and leaf accounts ----

/** A code to create: what it does, who made it, how often and how long it may be used. */
export interface NewCode {
  readonly kind: CodeKind;
  readonly creator: string;
  /** undefined: no limit. */
  readonly uses?: number;
  /** ms since epoch; undefined: never. */
  readonly expiresAt?: number;
  /** What a leaf signed up with a payer code is shown of the creator. */
  readonly show: 'number' | 'jid';
}

/** A code as signup reads it: enough to check it and to redeem it (its creator is never shown from here). */
export interface FoundCode extends ReferralCode {
  /** Payer codes: N of the creator's payment-leaf_jids-N (decided when the code was made). */
  readonly list?: string;
  readonly show: 'number' | 'jid';
}

export interface CodesPort {
  /**
   * Create `code` (drawn by the caller): 'taken' when that code exists already (draw another), 'limit' when the
   * creator made `perMonth` codes this month (0: no limit).
   */
  create(code: string, spec: NewCode, now: Date, perMonth: number): Promise<'ok' | 'taken' | 'limit'>;
  /** The creator's codes, newest first, with the numbers of those who used them. */
  listOf(creator: string, limit: number): Promise<ReferralCode[]>;
  /** Revoke one of the creator's own codes; false when it is not one of theirs. */
  revoke(creator: string, code: string): Promise<boolean>;
  find(code: string): Promise<FoundCode | undefined>;
  /** Wrong codes this JID typed in the last hour. */
  wrongTries(jid: string): Promise<number>;
  /** Count one more wrong code for this JID (for an hour). */
  countWrong(jid: string): Promise<void>;
}

/** The accounts a main pays for (the seed's payment-leaf_jids-N, after the main). */
export interface LeavesPort {
  /** The leaves on list `list`, in the order they were added, with their numbers. */
  of(list: string): Promise<{ readonly jid: string; readonly tel?: string }[]>;
  /**
   * Take `leaf` off `main`'s list (whatever state the main is in); false when it is not on it. `tell`: the message
   * for the other side, queued (the outbox) in the same step.
   */
  remove(main: string, leaf: string, tell?: { readonly to: string; readonly text: string }): Promise<boolean>;
  /**
   * Offer to pay for `jid` (kept for `OFFER_DAYS` whatever `jid` is, so it tells the main nothing); `tells` is
   * queued with it, unless another main's offer to `jid` is open (that one stays, and nothing is said).
   */
  offer(main: string, jid: string, show: 'number' | 'jid', now: Date, tells: readonly Tell[]): Promise<void>;
  /** The JIDs `main` offered to pay for that have not answered, with when (ms), newest first. */
  offersOf(main: string, now: Date): Promise<{ readonly jid: string; readonly at: number }[]>;
  /** `jid` declines `main`'s offer (the main is not told); false when there was none open. */
  decline(main: string, jid: string): Promise<boolean>;
}

/** How long an offer to pay for someone's account stays open. */
export const OFFER_DAYS = 7;

// ---- contacts ----

export interface ContactsPort {
  /** True the first time this JID ever writes to the bot (a greeting is due), false ever after. */
  firstContact(bareJid: string): Promise<boolean>;
}
