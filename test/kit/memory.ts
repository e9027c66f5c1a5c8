// The domain's ports in memory, for the in-process kit: the same answers as src/store's Lua scripts give on
// Redis, so a golden transcript reads the same on both (test/integration/golden.test.ts runs them on Redis).
// Keys never lapse here: nothing in a transcript waits for Redis to expire a key (the clock moves, TTLs do not).
import { type LeafChargeBasis, leafCharge } from '../../src/domain/catalogue.js';
import { type AccountFacts, type LeafOf, type PayerOffer, PLANS_AHEAD } from '../../src/domain/account-state.js';
import type { CodeKind, ReferralCode } from '../../src/domain/codes.js';
import { isoDay, monthOf } from '../../src/domain/months.js';
import { openPaymentOf } from '../../src/domain/payments.js';
import { foldPlace } from '../../src/domain/phone.js';
import { type DayUsage, daysOf, type UsageKind } from '../../src/domain/usage.js';
import type {
  AccountsPort,
  ApprovalNotice,
  ApproveResult,
  Claim,
  CheckoutIntent,
  ContactsPort,
  CheckoutRef,
  CloseOutcome,
  CodesPort,
  FoundCode,
  LeavesPort,
  Fulfilled,
  Hold,
  NumberInfo,
  NumberQuery,
  NewCode,
  NumbersPort,
  OpenPayment,
  Payment,
  PaymentRecords,
  PendingSignup,
  Redeem,
  SessionIndex,
  SessionKey,
  Tell,
  WebChoiceRequest,
  WebRegisterPort,
  UsagePort,
  SessionsPort,
  SessionWrite,
  Taken,
  TrialPlans,
  Renewal,
} from '../../src/domain/ports.js';
import { OFFER_DAYS } from '../../src/domain/ports.js';

const LOOKBACK_MONTHS = 24;
const placeOf = (n: NumberInfo) => foldPlace(`${n.rateCentre}, ${n.region}`);

/** Everything the bot keeps, as plain maps. */
/** A code as its hash holds it (bot-code-CODE), with its used-by list. */
interface StoredCode {
  kind: CodeKind;
  creator: string;
  /** -1: no limit. */
  uses: number;
  /** 0: never. */
  expires: number;
  created: number;
  revoked: boolean;
  list: string;
  show: 'number' | 'jid';
  usedBy: string[];
}

export class World {
  readonly available = new Set<string>();
  readonly info = new Map<string, NumberInfo>();
  /** Places the bot has read (NumbersPort.known): what a Redis store remembers of its listings and lookups. */
  readonly seen = new Map<string, NumberInfo>();
  readonly reservations = new Map<string, string>();
  readonly catapultJid = new Map<string, string>();
  readonly jidNumber = new Map<string, string>();
  readonly usageStart = new Map<string, string>();
  /** `YYYYMM JID` → plan id. */
  readonly plans = new Map<string, string>();
  readonly pending = new Map<string, { signup: PendingSignup; ms: number }>();
  readonly payments = new Map<string, Payment>();
  readonly tokens = new Map<string, string>();
  readonly paid = new Map<string, string>();
  readonly events = new Set<string>();
  readonly balances = new Map<string, number>();
  /** What scripts queued in the outbox (bot-outbox), in order. */
  readonly outbox: { to: string; body: string }[] = [];
  /** tell-fn.lua */
  tell(tells: readonly Tell[]): void {
    for (const t of tells) this.outbox.push({ to: t.to, body: t.body });
  }
  /** Referral codes and leaf accounts, as the seed's and the bot's keys hold them. */
  readonly leafMain = new Map<string, LeafOf>();
  readonly leafIndex = new Map<string, string>();
  readonly leafLists = new Map<string, string[]>();
  readonly leafListN = new Map<string, string>();
  leafNext = 0;
  readonly codes = new Map<string, StoredCode>();
  readonly codesOf = new Map<string, string[]>();
  readonly codesCreated = new Map<string, number>();
  readonly codeTries = new Map<string, number>();
  readonly invitedBy = new Map<string, string>();
  /** bot-payer_invite-JID (its TTL is the `at` + OFFER_DAYS the readers check). */
  readonly offers = new Map<string, PayerOffer & { at: number }>();
  /** bot-web_choice-JID (its TTL: `until`). */
  readonly webChoices = new Map<string, { tel: string; at: number; until: number }>();
  readonly webResends = new Map<string, number>();
  /** `TEL YYYY-MM-DD` → the gateway's counts. */
  readonly usage = new Map<string, Partial<Record<UsageKind, number>>>();
  /** bot-invites_of-MAIN: `MAIN JID` → when; entries age out, nothing else removes them but an accept. */
  readonly offersMade = new Map<string, number>();
  /** JID → its latest open payment (payment-open index). */
  readonly openPayments = new Map<string, OpenPayment>();
  readonly intents = new Map<string, CheckoutIntent>();
  /** PaymentIntent → payment id. */
  readonly paymentIntents = new Map<string, string>();
  /** What refunds and disputes recorded on each payment. */
  readonly charges = new Map<string, Record<string, string>>();
  readonly sessions = new Map<string, string>();
  readonly locks = new Map<string, string>();
  lockCount = 0;
  readonly current = new Map<string, SessionKey>();
  readonly contacts = new Set<string>();

  addNumbers(rows: readonly NumberInfo[]): void {
    for (const r of rows) {
      if (this.catapultJid.has(r.tel)) continue;
      this.available.add(r.tel);
      this.info.set(r.tel, r);
    }
  }

  /** assign-fn.lua: give `tel` to `jid` for good, if it is still free for `holder`. */
  assign(tel: string, holder: string, jid: string, day: string): boolean {
    if (!this.available.has(tel) || this.catapultJid.has(tel)) return false;
    const cur = this.reservations.get(tel);
    if (cur !== undefined && cur !== holder) return false;
    this.available.delete(tel);
    this.reservations.delete(tel);
    this.catapultJid.set(tel, jid);
    this.jidNumber.set(jid, tel);
    this.usageStart.set(tel, day);
    return true;
  }

  releaseIfHeld(tel: string, holder: string): void {
    if (tel && this.reservations.get(tel) === holder) this.reservations.delete(tel);
  }
}

export class MemoryNumbers implements NumbersPort {
  constructor(private readonly w: World) {}

  async list(query: NumberQuery, limit: number, owner: string, skip = 0): Promise<NumberInfo[]> {
    const tels = [...this.w.available].sort();
    const matching =
      query.by === 'tel'
        ? tels.filter((t) => t.startsWith(query.prefix))
        : tels
            .map((t) => ({ t, key: `${placeOf(this.w.info.get(t) ?? { tel: t, rateCentre: '', region: '' })}|${t}` }))
            .filter((x) => x.key.startsWith(query.prefix))
            .sort((a, b) => (a.key < b.key ? -1 : 1))
            .map((x) => x.t);
    const free = matching.filter((t) => {
      const holder = this.w.reservations.get(t);
      return holder === undefined || holder === owner;
    });
    const out = free.slice(skip, skip + limit).map((t) => this.w.info.get(t) ?? { tel: t, rateCentre: '', region: '' });
    for (const n of out) this.w.seen.set(n.tel, n);
    return out;
  }

  known(tel: string): NumberInfo | undefined {
    return this.w.seen.get(tel);
  }

  async info(tel: string, owner: string): Promise<NumberInfo | undefined> {
    const holder = this.w.reservations.get(tel);
    const n = this.w.available.has(tel) && (holder === undefined || holder === owner) ? this.w.info.get(tel) : undefined;
    if (n) this.w.seen.set(tel, n);
    return n;
  }

  /** reserve-claim.lua; keys never lapse here, so the hold's deadline is not kept. */
  async reserve({ tel, holder: owner, jid }: Hold): Promise<boolean> {
    if (!this.w.available.has(tel)) return false;
    const cur = this.w.reservations.get(tel);
    if (cur !== undefined && cur !== owner) {
      if (cur !== `web:${jid}`) return false;
      this.w.webChoices.delete(jid);
    }
    this.w.reservations.set(tel, owner);
    return true;
  }

  async release(tel: string, owner: string): Promise<void> {
    this.w.releaseIfHeld(tel, owner);
  }
}

export class MemoryAccounts implements AccountsPort {
  constructor(private readonly w: World) {}

  async facts(jid: string, now: Date): Promise<AccountFacts> {
    const tel = this.w.jidNumber.get(jid);
    const owner = tel ? this.w.catapultJid.get(tel) : undefined;
    const since = tel ? this.w.usageStart.get(tel) : undefined;
    const pending = this.w.pending.get(jid)?.signup;
    return {
      ...(tel ? { tel } : {}),
      ...(owner ? { telOwner: owner } : {}),
      ...(since ? { usageStartDay: since } : {}),
      ...(pending ? { pending: { tel: pending.tel, at: pending.at } } : {}),
      ...(this.w.balances.has(jid) ? { hasBalance: true as const } : {}),
      ...(this.w.leafMain.has(jid) ? { leafOf: this.w.leafMain.get(jid) as LeafOf } : {}),
      ...(this.w.webChoices.has(jid) ? { webChoice: this.w.webChoices.get(jid) as { tel: string; at: number; until: number } } : {}),
      ...(this.w.leafIndex.has(jid) ? { leafList: this.w.leafIndex.get(jid) as string } : {}),
      ...(this.offerOf(jid, now) ? { offer: this.offerOf(jid, now) as PayerOffer } : {}),
      plans: Array.from({ length: LOOKBACK_MONTHS + 1 }, (_, i) => this.w.plans.get(`${monthOf(now, -i)} ${jid}`)),
      ahead: Array.from({ length: PLANS_AHEAD }, (_, i) => this.w.plans.get(`${monthOf(now, i + 1)} ${jid}`)),
    };
  }

  private offerOf(jid: string, now: Date): PayerOffer | undefined {
    const o = this.w.offers.get(jid);
    return o && o.at > now.getTime() - OFFER_DAYS * 86_400_000 ? { main: o.main, show: o.show, list: o.list } : undefined;
  }

  async pendingList(limit: number): Promise<PendingSignup[]> {
    return [...this.w.pending.entries()]
      .sort((a, b) => a[1].ms - b[1].ms || (a[0] < b[0] ? -1 : 1))
      .slice(0, limit)
      .map(([, v]) => v.signup);
  }

  async pending(jid: string): Promise<PendingSignup | undefined> {
    return this.w.pending.get(jid)?.signup;
  }

  async approve(jid: string, plans: TrialPlans, now: Date, tell?: ApprovalNotice): Promise<ApproveResult> {
    const p = this.w.pending.get(jid)?.signup;
    if (!p) return { outcome: 'not-pending', tel: '' };
    if (tell && tell.tel !== p.tel) return { outcome: 'changed', tel: p.tel };
    this.w.pending.delete(jid);
    this.w.plans.set(`${monthOf(now, 0)} ${jid}`, plans.first);
    this.w.plans.set(`${monthOf(now, 1)} ${jid}`, plans.second);
    if (this.w.assign(p.tel, `pending:${jid}`, jid, isoDay(now))) {
      if (tell) this.w.outbox.push({ to: jid, body: tell.assigned });
      return { outcome: 'assigned', tel: p.tel };
    }
    this.w.releaseIfHeld(p.tel, `pending:${jid}`);
    if (tell) this.w.outbox.push({ to: jid, body: tell.gone });
    return { outcome: 'number-gone', tel: p.tel };
  }

  async deny(jid: string, tell?: { readonly tel: string; readonly text: string }): Promise<string | undefined> {
    const p = this.w.pending.get(jid)?.signup;
    if (!p) return undefined;
    if (tell && tell.tel !== p.tel) return undefined;
    this.w.pending.delete(jid);
    this.w.releaseIfHeld(p.tel, `pending:${jid}`);
    if (tell) this.w.outbox.push({ to: jid, body: tell.text });
    return p.tel;
  }

  async assign(jid: string, tel: string, sessionOwner: string, now: Date): Promise<'ok' | 'unavailable' | 'already-registered'> {
    const old = this.w.jidNumber.get(jid);
    if (old && this.w.catapultJid.get(old) === jid) return 'already-registered';
    return this.w.assign(tel, sessionOwner, jid, isoDay(now)) ? 'ok' : 'unavailable';
  }
}

export class MemoryPayments implements PaymentRecords {
  constructor(private readonly w: World) {}

  async get(id: string): Promise<Payment | undefined> {
    return this.w.payments.get(id);
  }

  async byToken(token: string): Promise<Payment | undefined> {
    const id = this.w.tokens.get(token);
    return id ? this.w.payments.get(id) : undefined;
  }

  async open(p: Payment, sessionOwner: string): Promise<'ok' | 'unavailable'> {
    if (p.tel) {
      if (!this.w.available.has(p.tel)) return 'unavailable';
      const cur = this.w.reservations.get(p.tel);
      const mine = `pay:${p.id}`;
      if (cur !== undefined && cur !== sessionOwner && cur !== mine) return 'unavailable';
      this.w.reservations.set(p.tel, mine);
    }
    this.w.payments.set(p.id, p);
    this.w.tokens.set(p.token, p.id);
    this.w.openPayments.set(p.jid, openPaymentOf(p, p.checkout));
    return 'ok';
  }

  async openFor(jid: string): Promise<OpenPayment | undefined> {
    return this.w.openPayments.get(jid);
  }

  /** unindex-fn.lua: the index goes only if it names this payment. */
  private unindex(p: Payment): void {
    if (this.w.openPayments.get(p.jid)?.id === p.id) this.w.openPayments.delete(p.jid);
  }

  async replaceCheckout(p: Payment, checkout: CheckoutRef, generation: number): Promise<'ok' | 'closed' | 'gone'> {
    const cur = this.w.payments.get(p.id);
    if (cur?.state !== 'open') return 'closed';
    if (cur.tel && this.w.reservations.get(cur.tel) !== `pay:${p.id}`) return 'gone';
    this.w.payments.set(p.id, { ...cur, checkout, generation });
    this.w.openPayments.set(p.jid, openPaymentOf(cur, checkout));
    return 'ok';
  }

  async holds(p: Payment): Promise<boolean> {
    return !p.tel || this.w.reservations.get(p.tel) === `pay:${p.id}`;
  }

  private readonly told = new Set<string>();

  async tellOnce(paymentId: string, checkout: string, to: string, text: string): Promise<boolean> {
    const key = `${paymentId} ${checkout}`;
    if (this.told.has(key)) return false;
    this.told.add(key);
    this.w.outbox.push({ to, body: text });
    return true;
  }

  /** fulfil-payment.lua, step for step. */
  async fulfil(
    eventId: string,
    paymentId: string,
    jid: string,
    checkoutId: string,
    amountPaid: number,
    trial: TrialPlans,
    now: Date,
    paymentIntent = '',
    renew?: Renewal,
    months: Date = now,
  ): Promise<Fulfilled> {
    const none = (outcome: 'duplicate' | 'unknown'): Fulfilled => ({
      outcome,
      jid: '',
      purpose: 'signup',
      tel: '',
      plan: '',
      balance: 0,
      monthsAhead: 0,
    });
    if (this.w.events.has(eventId)) return none('duplicate');
    this.w.events.add(eventId);
    const p = this.w.payments.get(paymentId);
    if (!p) return none('unknown');
    if (paymentIntent) this.w.paymentIntents.set(paymentIntent, p.id);
    const done = this.w.paid.get(paymentId);
    if (done === checkoutId) return none('duplicate');
    const credit = (n: number) => this.w.balances.set(jid, (this.w.balances.get(jid) ?? 0) + n);
    let monthsAhead = 0;
    const result = (outcome: Fulfilled['outcome'], plan = p.plan): Fulfilled => {
      const balance = this.w.balances.get(jid) ?? 0;
      this.w.payments.set(p.id, { ...p, state: 'paid', result: { outcome, checkout: checkoutId, balance, monthsAhead, plan } });
      this.unindex(p);
      this.w.releaseIfHeld(p.tel, `pay:${p.id}`);
      return { outcome, jid: p.jid, purpose: p.purpose, tel: p.tel, plan, balance, monthsAhead };
    };
    const thisMonth = `${monthOf(months, 0)} ${jid}`;
    const current = this.w.plans.get(thisMonth);
    const nowPlan = this.w.plans.get(`${monthOf(now, 0)} ${jid}`);
    const paidPlan = (x: string | undefined) => x !== undefined && x !== trial.first && x !== trial.second;
    const periodPaid = paidPlan(current) || paidPlan(nowPlan);
    if (done !== undefined || (p.purpose !== 'top-up' && periodPaid)) {
      credit(amountPaid);
      if (done === undefined) this.w.paid.set(paymentId, checkoutId);
      return result('credited');
    }
    this.w.paid.set(paymentId, checkoutId);
    if (p.purpose === 'top-up') {
      credit(amountPaid);
      if (renew && current === undefined && (this.w.balances.get(jid) ?? 0) >= renew.charge) {
        credit(-renew.charge);
        this.w.plans.set(thisMonth, renew.plan);
        this.w.plans.set(`${monthOf(months, 1)} ${jid}`, renew.plan);
        monthsAhead = 1;
        return result('renewed', renew.plan);
      }
      return result('topped-up');
    }
    if (p.purpose === 'upgrade') {
      // The first month that is not a trial month; one already paid keeps the money as balance.
      const i = [0, 1, 2, 3].find((k) => {
        const m = this.w.plans.get(`${monthOf(months, k)} ${jid}`);
        return m !== trial.first && m !== trial.second;
      });
      const at = i === undefined ? undefined : `${monthOf(months, i)} ${jid}`;
      if (i === undefined || at === undefined || this.w.plans.has(at)) {
        credit(amountPaid);
        monthsAhead = -1;
        return result('credited');
      }
      this.w.plans.set(at, p.plan);
      monthsAhead = i;
    } else {
      this.w.plans.set(thisMonth, p.plan);
      this.w.plans.set(`${monthOf(months, 1)} ${jid}`, p.plan);
      monthsAhead = 1;
    }
    if (amountPaid > p.price) credit(amountPaid - p.price);
    if (p.purpose !== 'signup') return result('activated');
    const old = this.w.jidNumber.get(jid);
    if (old && this.w.catapultJid.get(old) === jid) return result('activated');
    return result(this.w.assign(p.tel, `pay:${p.id}`, jid, isoDay(now)) ? 'assigned' : 'number-gone');
  }

  /** close-payment.lua, step for step. */
  async close(eventId: string, paymentId: string, _jid: string, checkoutId: string, tells: readonly Tell[]): Promise<CloseOutcome> {
    if (this.w.events.has(eventId)) return 'duplicate';
    this.w.events.add(eventId);
    const p = this.w.payments.get(paymentId);
    if (!p) return 'unknown';
    if (this.w.paid.has(paymentId)) return 'paid';
    if (p.state !== 'open' && p.state !== 'processing') return 'duplicate';
    if (p.checkout.id !== checkoutId) return 'stale';
    this.w.payments.set(p.id, { ...p, state: 'closed' });
    this.unindex(p);
    this.w.tokens.delete(p.token);
    this.w.releaseIfHeld(p.tel, `pay:${p.id}`);
    this.w.tell(tells);
    return 'closed';
  }

  async intent(paymentId: string, generation: number, proposal: CheckoutIntent): Promise<CheckoutIntent> {
    const key = `${paymentId}-${generation}`;
    const earlier = this.w.intents.get(key);
    if (earlier) return earlier;
    this.w.intents.set(key, proposal);
    return proposal;
  }

  /** hold-processing.lua: keys never lapse here, so holding on is only the once-per-event bookkeeping. */
  async holdWhileProcessing(
    eventId: string,
    p: Payment,
    checkoutId: string,
    _holdSeconds: number,
    tells: readonly Tell[],
  ): Promise<'held' | 'duplicate' | 'unknown'> {
    if (this.w.events.has(eventId)) return 'duplicate';
    this.w.events.add(eventId);
    const cur = this.w.payments.get(p.id);
    if (cur?.state !== 'open' || cur.checkout.id !== checkoutId) return 'unknown';
    this.w.payments.set(p.id, { ...cur, state: 'processing' });
    this.w.openPayments.delete(p.jid);
    this.w.tell(tells);
    return 'held';
  }

  async byIntent(paymentIntent: string): Promise<Payment | undefined> {
    const id = this.w.paymentIntents.get(paymentIntent);
    return id ? this.w.payments.get(id) : undefined;
  }

  async recordCharge(
    eventId: string,
    paymentId: string,
    fields: Readonly<Record<string, string>>,
    tells: readonly Tell[],
  ): Promise<'recorded' | 'duplicate' | 'unknown'> {
    if (this.w.events.has(eventId)) return 'duplicate';
    this.w.events.add(eventId);
    const p = this.w.payments.get(paymentId);
    if (!p) return 'unknown';
    this.w.charges.set(paymentId, { ...(this.w.charges.get(paymentId) ?? {}), ...fields });
    this.w.tell(tells);
    return 'recorded';
  }

  async firstSight(eventId: string): Promise<boolean> {
    if (this.w.events.has(eventId)) return false;
    this.w.events.add(eventId);
    return true;
  }

  async creditInviter(
    friend: string,
    amount: number,
    tells: (inviter: string, balance: number) => Promise<readonly Tell[]>,
  ): Promise<{ inviter: string; balance: number } | undefined> {
    const inviter = this.w.invitedBy.get(friend);
    if (!inviter) return undefined;
    const balance = (this.w.balances.get(inviter) ?? 0) + amount;
    const told = await tells(inviter, balance);
    this.w.invitedBy.delete(friend);
    this.w.balances.set(inviter, balance);
    this.w.tell(told);
    return { inviter, balance };
  }

  async balance(jid: string): Promise<number> {
    return this.w.balances.get(jid) ?? 0;
  }
}

/** request-approval-claim.lua */
function requestApproval(
  w: World,
  p: PendingSignup,
  sessionOwner: string,
  now: Date,
  tells: readonly Tell[],
): 'ok' | 'already-pending' | 'unavailable' {
  if (w.pending.has(p.jid)) return 'already-pending';
  if (!w.available.has(p.tel)) return 'unavailable';
  const cur = w.reservations.get(p.tel);
  if (cur !== undefined && cur !== sessionOwner) return 'unavailable';
  w.reservations.set(p.tel, `pending:${p.jid}`);
  w.pending.set(p.jid, { signup: p, ms: now.getTime() });
  w.tell(tells);
  return 'ok';
}

function sameKey(a: SessionKey | undefined, b: SessionKey): boolean {
  return a !== undefined && ('adhoc' in a ? 'adhoc' in b && a.adhoc === b.adhoc : 'chat' in b);
}

type IsTrial = (plan: string | undefined) => boolean;

/** leaf-fn.lua's leaf_charge. */
function chargeOf(w: World, main: string, trial: IsTrial, at: Date, basis: LeafChargeBasis | undefined): number {
  if (!basis) return 0;
  const plans = [0, 1, 2, 3].map((i) => w.plans.get(`${monthOf(at, i)} ${main}`));
  return leafCharge(basis, plans, (p) => trial(p));
}

/** leaf-fn.lua's main_can_pay. */
function mainCanPay(w: World, main: string, list: string, trial: IsTrial, at: Date, charge: number): boolean {
  const plan = w.plans.get(`${monthOf(at, 0)} ${main}`);
  if (!w.balances.has(main) || w.leafMain.has(main) || !plan || trial(plan)) return false;
  if ((w.balances.get(main) ?? 0) < charge) return false;
  const idx = w.leafIndex.get(main);
  if (idx !== undefined && idx !== list) return false;
  const head = w.leafLists.get(list)?.[0];
  return head === undefined || head === main;
}

/** leaf-fn.lua's make_leaf. */
function makeLeaf(
  w: World,
  main: string,
  leaf: string,
  list: string,
  show: 'number' | 'jid',
  trial: IsTrial,
  at: Date,
  charge: number,
): void {
  if (charge > 0) w.balances.set(main, (w.balances.get(main) ?? 0) - charge);
  const key = (jid: string, i: number) => `${monthOf(at, i)} ${jid}`;
  let paying = true;
  for (let i = 0; i < 4; i++) {
    const p = w.plans.get(key(main, i));
    paying = paying && p !== undefined && !trial(p);
    if (paying && p) w.plans.set(key(leaf, i), p);
    else if (trial(w.plans.get(key(leaf, i)))) w.plans.delete(key(leaf, i));
  }
  if (!w.leafIndex.has(main)) {
    if (!w.leafLists.has(list)) w.leafLists.set(list, [main]);
    w.leafIndex.set(main, list);
  }
  const jids = w.leafLists.get(list) ?? [];
  if (!jids.includes(leaf)) jids.push(leaf);
  w.leafLists.set(list, jids);
  w.leafMain.set(leaf, { main, show });
}

/** accept-payer-claim.lua */
function acceptPayer(w: World, c: Extract<Claim, { kind: 'accept-payer' }>): string {
  const o = w.offers.get(c.jid);
  if (!o || o.main !== c.main || o.list !== c.list || o.at <= c.at.getTime() - OFFER_DAYS * 86_400_000) return 'unavailable';
  const trial = (p: string | undefined) => p === c.trialPlans.first || p === c.trialPlans.second;
  if (!trial(w.plans.get(`${monthOf(c.at, 0)} ${c.jid}`)) || w.leafMain.has(c.jid)) return 'unavailable';
  const charge = chargeOf(w, c.main, trial, c.at, c.leafCharge);
  if (!mainCanPay(w, c.main, c.list, trial, c.at, charge)) return 'payer-cannot';
  makeLeaf(w, c.main, c.jid, c.list, c.show, trial, c.at, charge);
  w.offers.delete(c.jid);
  w.offersMade.delete(`${c.main} ${c.jid}`);
  w.tell(c.tells);
  return 'ok';
}

/** redeem-code-claim.lua */
function redeem(w: World, r: Redeem): string {
  const c = w.codes.get(r.code);
  if (!c || c.kind !== r.kind || c.revoked || c.uses === 0 || (c.expires > 0 && c.expires <= r.at.getTime())) return 'unavailable';
  if (w.leafMain.has(r.jid)) return 'unavailable';
  const trial = (p: string | undefined) => p === r.trialPlans.first || p === r.trialPlans.second;
  const main = r.main ?? '';
  const charge = r.kind === 'payer' ? chargeOf(w, main, trial, r.at, r.leafCharge) : 0;
  if (r.kind === 'payer') {
    if (c.creator !== main || c.list !== r.list) return 'unavailable';
    if (!mainCanPay(w, main, r.list ?? '', trial, r.at, charge)) return 'payer-cannot';
  }
  if (w.jidNumber.has(r.jid)) return 'unavailable';
  if (!w.assign(r.tel, r.holder, r.jid, isoDay(r.at))) return 'number-gone';
  if (r.kind === 'payer') {
    makeLeaf(w, main, r.jid, r.list ?? '', r.show ?? 'number', trial, r.at, charge);
  } else {
    w.plans.set(`${monthOf(r.at, 0)} ${r.jid}`, r.trialPlans.first);
    w.plans.set(`${monthOf(r.at, 1)} ${r.jid}`, r.trialPlans.second);
    if (r.kind === 'invite') w.invitedBy.set(r.jid, c.creator);
  }
  if (c.uses > 0) c.uses--;
  c.usedBy.push(r.jid);
  return 'ok';
}

/** usage_day-NUMBER-YYYYMMDD hashes. */
export class MemoryUsage implements UsagePort {
  constructor(private readonly w: World) {}

  async days(tel: string, from: string, to: string): Promise<DayUsage[]> {
    return daysOf(from, to).map((day) => {
      const d = this.w.usage.get(`${tel} ${day}`) ?? {};
      return {
        day,
        messages_in: d.messages_in ?? 0,
        messages_out: d.messages_out ?? 0,
        minutes_in: d.minutes_in ?? 0,
        minutes_out: d.minutes_out ?? 0,
      };
    });
  }

  async record(tel: string, kind: UsageKind, count: number, day: string): Promise<number> {
    const d = this.w.usage.get(`${tel} ${day}`) ?? {};
    d[kind] = (d[kind] ?? 0) + count;
    this.w.usage.set(`${tel} ${day}`, d);
    return d[kind];
  }
}

/** web-choose.lua, web-resend.lua, web-decline.lua (no lapse here: keys never lapse in the kit). */
export class MemoryWeb implements WebRegisterPort {
  constructor(private readonly w: World) {}

  async choose(c: WebChoiceRequest): Promise<'ok' | 'unavailable' | 'limited'> {
    if (!this.w.available.has(c.tel)) return 'unavailable';
    const mine = `web:${c.jid}`;
    const cur = this.w.reservations.get(c.tel);
    if (cur !== undefined && cur !== mine) return 'unavailable';
    const sent = this.w.webResends.get(c.jid) ?? 0;
    if (sent >= c.perHour) return 'limited';
    this.w.webResends.set(c.jid, sent + 1);
    const earlier = this.w.webChoices.get(c.jid);
    if (earlier && earlier.tel !== c.tel) this.w.releaseIfHeld(earlier.tel, mine);
    this.w.reservations.set(c.tel, mine);
    this.w.webChoices.set(c.jid, { tel: c.tel, at: c.at.getTime(), until: c.at.getTime() + c.holdSeconds * 1000 });
    this.w.tell(c.tells);
    return 'ok';
  }

  async choiceOf(jid: string): Promise<string | undefined> {
    return this.w.webChoices.get(jid)?.tel;
  }

  async resend(jid: string, perHour: number, tells: readonly Tell[]): Promise<'sent' | 'none' | 'limited'> {
    const n = this.w.webResends.get(jid) ?? 0;
    if (n >= perHour) return 'limited';
    this.w.webResends.set(jid, n + 1);
    if (!this.w.webChoices.has(jid)) return 'none';
    this.w.tell(tells);
    return 'sent';
  }

  async decline(jid: string, tel: string): Promise<void> {
    this.w.webChoices.delete(jid);
    this.w.releaseIfHeld(tel, `web:${jid}`);
  }
}

export class MemoryLeaves implements LeavesPort {
  constructor(private readonly w: World) {}

  async of(list: string): Promise<{ jid: string; tel?: string }[]> {
    return (this.w.leafLists.get(list) ?? []).slice(1).map((jid) => {
      const tel = this.w.jidNumber.get(jid);
      return { jid, ...(tel ? { tel } : {}) };
    });
  }

  async offer(main: string, jid: string, show: 'number' | 'jid', now: Date, tells: readonly Tell[]): Promise<void> {
    const list = this.w.leafIndex.get(main) ?? this.w.leafListN.get(main) ?? String(++this.w.leafNext);
    this.w.leafListN.set(main, list);
    // An offer past its days is gone (its key's TTL in Redis).
    const open = this.w.offers.get(jid);
    if (!open || open.main === main || open.at <= now.getTime() - OFFER_DAYS * 86_400_000) {
      this.w.offers.set(jid, { main, show, list, at: now.getTime() });
      this.w.tell(tells);
    }
    this.w.offersMade.set(`${main} ${jid}`, now.getTime());
  }

  async offersOf(main: string, now: Date): Promise<{ jid: string; at: number }[]> {
    const since = now.getTime() - OFFER_DAYS * 86_400_000;
    return (
      [...this.w.offersMade.entries()]
        .map(([k, at]) => ({ main: k.slice(0, k.indexOf(' ')), jid: k.slice(k.indexOf(' ') + 1), at }))
        .filter((o) => o.main === main && o.at > since)
        .map(({ jid, at }) => ({ jid, at }))
        // As ZREVRANGEBYSCORE orders them: newest first, ties in reverse member order.
        .sort((a, b) => b.at - a.at || (a.jid < b.jid ? 1 : -1))
    );
  }

  async decline(main: string, jid: string): Promise<boolean> {
    if (this.w.offers.get(jid)?.main !== main) return false;
    this.w.offers.delete(jid);
    return true;
  }

  /** remove-leaf.lua */
  async remove(main: string, leaf: string, tell?: { readonly to: string; readonly text: string }): Promise<boolean> {
    const list = this.w.leafIndex.get(main);
    if (list === undefined || this.w.leafMain.get(leaf)?.main !== main) return false;
    const jids = this.w.leafLists.get(list) ?? [];
    if (!jids.includes(leaf)) return false;
    const left = jids.filter((j) => j !== leaf);
    this.w.leafMain.delete(leaf);
    if (left.length <= 1) {
      this.w.leafLists.delete(list);
      this.w.leafIndex.delete(main);
      this.w.leafListN.set(main, list);
    } else this.w.leafLists.set(list, left);
    if (tell) this.w.outbox.push({ to: tell.to, body: tell.text });
    return true;
  }
}

/** A stored code as the port shows it (who used it: none yet; listOf adds their numbers). */
function codeOf(code: string, c: StoredCode): ReferralCode {
  return {
    code,
    kind: c.kind,
    creator: c.creator,
    ...(c.uses >= 0 ? { usesLeft: c.uses } : {}),
    ...(c.expires > 0 ? { expiresAt: c.expires } : {}),
    createdAt: c.created,
    revoked: c.revoked,
    usedBy: [],
  };
}

export class MemoryCodes implements CodesPort {
  constructor(private readonly w: World) {}

  async create(code: string, spec: NewCode, now: Date, perMonth: number): Promise<'ok' | 'taken' | 'limit'> {
    if (this.w.codes.has(code)) return 'taken';
    const count = `${monthOf(now, 0)} ${spec.creator}`;
    const made = this.w.codesCreated.get(count) ?? 0;
    if (perMonth > 0 && made >= perMonth) return 'limit';
    let list = '';
    if (spec.kind === 'payer') {
      list = this.w.leafIndex.get(spec.creator) ?? this.w.leafListN.get(spec.creator) ?? String(++this.w.leafNext);
      this.w.leafListN.set(spec.creator, list);
    }
    this.w.codes.set(code, {
      kind: spec.kind,
      creator: spec.creator,
      uses: spec.uses ?? -1,
      expires: spec.expiresAt ?? 0,
      created: now.getTime(),
      revoked: false,
      list,
      show: spec.show,
      usedBy: [],
    });
    this.w.codesOf.set(spec.creator, [...(this.w.codesOf.get(spec.creator) ?? []), code]);
    this.w.codesCreated.set(count, made + 1);
    return 'ok';
  }

  async listOf(creator: string, limit: number): Promise<ReferralCode[]> {
    return [...(this.w.codesOf.get(creator) ?? [])]
      .reverse()
      .slice(0, limit)
      .flatMap((code) => {
        const c = this.w.codes.get(code);
        return c ? [{ ...codeOf(code, c), usedBy: c.usedBy.flatMap((j) => this.w.jidNumber.get(j) ?? []) }] : [];
      });
  }

  async revoke(creator: string, code: string): Promise<boolean> {
    const c = this.w.codes.get(code);
    if (c?.creator !== creator) return false;
    c.revoked = true;
    return true;
  }

  async find(code: string): Promise<FoundCode | undefined> {
    const c = this.w.codes.get(code);
    if (!c) return undefined;
    return {
      ...codeOf(code, c),
      ...(c.list ? { list: c.list } : {}),
      show: c.show,
    };
  }

  async wrongTries(jid: string): Promise<number> {
    return this.w.codeTries.get(jid) ?? 0;
  }

  async countWrong(jid: string): Promise<void> {
    this.w.codeTries.set(jid, (this.w.codeTries.get(jid) ?? 0) + 1);
  }
}

async function makeClaim(w: World, c: Claim): Promise<string> {
  switch (c.kind) {
    case 'redeem-code':
      return redeem(w, c.redeem);
    case 'accept-payer':
      return acceptPayer(w, c);
    case 'number-free':
      return (await new MemoryNumbers(w).info(c.tel, c.holder)) ? 'ok' : 'unavailable';
    case 'reserve':
      return (await new MemoryNumbers(w).reserve(c)) ? 'ok' : 'unavailable';
    case 'request-approval':
      return requestApproval(w, c.signup, c.holder, c.at, c.tells);
  }
}

export class MemorySessions implements SessionsPort {
  constructor(private readonly w: World) {}
  private key(k: SessionKey): string {
    return 'adhoc' in k ? `adhoc ${k.adhoc}` : `chat ${k.chat}`;
  }
  async get(k: SessionKey): Promise<unknown> {
    const raw = this.w.sessions.get(this.key(k));
    return raw === undefined ? undefined : (JSON.parse(raw) as unknown);
  }
  /** take-session.lua, without the account facts (the runtime reads them when a take brings none). */
  async take(k: SessionKey): Promise<Taken> {
    const key = this.key(k);
    const raw = this.w.sessions.get(key);
    if (raw === undefined) return { kind: 'none' };
    if (this.w.locks.has(key)) return { kind: 'busy' };
    const lock = `lock-${++this.w.lockCount}`;
    this.w.locks.set(key, lock);
    return { kind: 'ok', doc: JSON.parse(raw) as unknown, lock };
  }
  /** save-session.lua: the lock goes only if it is still this step's. */
  private letGo(key: string, lock: string | undefined): void {
    if (lock && this.w.locks.get(key) === lock) this.w.locks.delete(key);
  }
  async untake(k: SessionKey, lock: string): Promise<void> {
    this.letGo(this.key(k), lock);
  }
  /** Stored as JSON text, as Redis does: what comes back is a copy, never the object the runtime holds. */
  async save(k: SessionKey, doc: object, _ttl: number, lock?: string, index?: SessionIndex): Promise<void> {
    this.w.sessions.set(this.key(k), JSON.stringify(doc));
    this.letGo(this.key(k), lock);
    if (index) this.w.current.set(`${index.node} ${index.bare}`, k);
  }
  async delete(k: SessionKey, lock?: string, index?: SessionIndex): Promise<void> {
    this.w.sessions.delete(this.key(k));
    this.letGo(this.key(k), lock);
    const pointer = index && `${index.node} ${index.bare}`;
    if (pointer && sameKey(this.w.current.get(pointer), k)) this.w.current.delete(pointer);
  }
  /** claim-and-save.lua: the claim by the port that owns it, then the write only if it held. */
  async commit(claim: Claim, k: SessionKey, write: SessionWrite, lock: string): Promise<string> {
    const r = await makeClaim(this.w, claim);
    if (r !== 'ok') return r;
    if ('save' in write) await this.save(k, write.save, write.ttlSeconds, lock);
    else await this.delete(k, lock, write.index);
    return 'ok';
  }
  async current(bare: string, node: string): Promise<SessionKey | undefined> {
    return this.w.current.get(`${node} ${bare}`);
  }
}

export class MemoryContacts implements ContactsPort {
  constructor(private readonly w: World) {}
  async firstContact(bare: string): Promise<boolean> {
    if (this.w.contacts.has(bare)) return false;
    this.w.contacts.add(bare);
    return true;
  }
}
