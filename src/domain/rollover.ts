// The monthly rollover for one account and month M, decided by one pure function from what Redis holds: a trial's
// first month becomes its second, a trial's second month ends it, a paying account buys M from its prepaid balance
// (a main also each of its leaves), and what the balance cannot cover ends with M−1. Who is told what is decided
// here too; src/store/rollover.ts applies a decision in one Lua script, with the month's marker.
import { type Catalogue, formatMoney, isPaid, planName } from './catalogue.js';
import { monthName } from './months.js';

/** What the store read of an account (a main with its leaves) for the rollover into month M. */
export interface RolloverFacts {
  readonly jid: string;
  /** Its plan for M−1 and for M (a month paid ahead already has M). */
  readonly last?: string;
  readonly current?: string;
  /** Its prepaid balance in minor units; absent: it has no balance key. */
  readonly balance?: number;
  /** It is someone's leaf: its main's rollover covers it. */
  readonly isLeaf: boolean;
  /** A main's leaves in the order they were added, with their plans for M−1 and M. */
  readonly leaves: readonly { readonly jid: string; readonly last?: string; readonly current?: string }[];
  /** The outcome already recorded for M (the rollover ran for this account). */
  readonly done?: string;
  /** Its balance key holds something that is not a whole number of minor units: an operator must look. */
  readonly badBalance?: true;
}

export type SkipReason = 'done' | 'leaf' | 'inactive' | 'paid-ahead' | 'unknown-plan' | 'bad-balance';

/** A plan key for M to write. */
export interface PlanWrite {
  readonly jid: string;
  readonly plan: string;
}

export interface Notice {
  readonly to: string;
  readonly text: string;
}

export type RolloverDecision =
  | { readonly kind: 'skip'; readonly why: SkipReason }
  | {
      /** `trial-second`: into the trial's second month; `trial-ended`; `charged` (all of it kept); `short` (some ended); `ended` (all of it). */
      readonly kind: 'trial-second' | 'trial-ended' | 'charged' | 'short' | 'ended';
      /** Taken from the balance, in minor units of `currency` ('' for a trial: nothing is charged). */
      readonly charge: number;
      readonly currency: string;
      /** The balance the decision was made on ('' when there is no balance key): applied only if it still is. */
      readonly expectBalance: string;
      readonly writes: readonly PlanWrite[];
      /** Accounts that end with M−1 (no plan for M). */
      readonly ended: readonly string[];
      readonly notices: readonly Notice[];
    };

export interface RolloverRules {
  readonly catalogue: Catalogue;
  /** Tell paying accounts what they were charged (off: only endings and trial months are told). */
  readonly tellCharges: boolean;
}

/** Price of one month of `plan` for a main, or for a leaf on it. */
function priceOf(c: Catalogue, plan: string, leaf: boolean): number | undefined {
  const p = c.byId(plan);
  if (!isPaid(p)) return undefined;
  return leaf ? (p.leafPrice ?? p.monthlyPrice) : p.monthlyPrice;
}

/** One month a main pays for: its own, or a leaf's. */
export interface Due {
  readonly jid: string;
  readonly plan: string;
  readonly price: number;
  readonly leaf: boolean;
}

/**
 * What month M costs a paying main: its own month (unless paid ahead) and each leaf's still without M, in the
 * order they were added; 'unknown-plan' when the main's plan is not in the catalogue (nothing is charged).
 */
export function dueFor(f: RolloverFacts, c: Catalogue): Due[] | 'unknown-plan' {
  const due: Due[] = [];
  const candidates = [{ jid: f.jid, last: f.last, current: f.current, leaf: false }, ...f.leaves.map((l) => ({ ...l, leaf: true }))];
  for (const a of candidates) {
    if (a.current || !a.last) continue; // paid ahead, or a leaf that was not active either
    const price = priceOf(c, a.last, a.leaf);
    if (price === undefined) {
      if (!a.leaf) return 'unknown-plan';
      continue; // a leaf on a trial or unknown plan is not the main's to pay
    }
    due.push({ jid: a.jid, plan: a.last, price, leaf: a.leaf });
  }
  return due;
}

/**
 * What the rollover into `month` (YYYYMM) does to this account. Accounts without a plan for M−1 are not active and
 * are left alone; a leaf is decided with its main.
 */
export function decideRollover(f: RolloverFacts, month: string, rules: RolloverRules): RolloverDecision {
  const c = rules.catalogue;
  const when = monthName(month);
  if (f.done) return { kind: 'skip', why: 'done' };
  if (f.isLeaf) return { kind: 'skip', why: 'leaf' };
  if (!f.last) return { kind: 'skip', why: 'inactive' };
  const expectBalance = f.balance === undefined ? '' : String(f.balance);
  const none = { charge: 0, currency: '', expectBalance, writes: [] as PlanWrite[], ended: [] as string[] };
  if (f.last === c.trial.first.id) {
    // The second trial month is written by the rollover, or already by the approval: the person is told either way.
    if (f.current && f.current !== c.trial.second.id) return { kind: 'skip', why: 'paid-ahead' };
    return {
      kind: 'trial-second',
      ...none,
      writes: f.current ? [] : [{ jid: f.jid, plan: c.trial.second.id }],
      notices: [
        {
          to: f.jid,
          text: `Your free trial goes on through ${when}, its second and last month. Send "upgrade" to keep your number after it.`,
        },
      ],
    };
  }
  if (f.last === c.trial.second.id) {
    if (f.current) return { kind: 'skip', why: 'paid-ahead' };
    return {
      kind: 'trial-ended',
      ...none,
      ended: [f.jid],
      notices: [{ to: f.jid, text: `Your free trial has ended, so your number is no longer active. Send "upgrade" to pay and keep it.` }],
    };
  }
  if (f.badBalance) return { kind: 'skip', why: 'bad-balance' };
  const due = dueFor(f, c);
  if (due === 'unknown-plan') return { kind: 'skip', why: 'unknown-plan' };
  if (!due.length) return { kind: 'skip', why: 'paid-ahead' };
  // The main stays if it can, then the leaves in the order they were added, while the balance lasts.
  let left = f.balance ?? 0;
  const kept: typeof due = [];
  const ended: string[] = [];
  let lasting = true;
  // A main that cannot stay takes its leaves with it: nobody would pay for them next month.
  const mainEnds = due.some((d) => !d.leaf && d.price > left);
  for (const d of due) {
    const fits = !mainEnds && (d.leaf ? lasting && d.price <= left : d.price <= left);
    if (fits) {
      kept.push(d);
      left -= d.price;
    } else {
      ended.push(d.jid);
      if (d.leaf) lasting = false;
    }
  }
  const charge = kept.reduce((n, d) => n + d.price, 0);
  const lastPlan = c.byId(f.last);
  const currency = isPaid(lastPlan) ? lastPlan.currency : '';
  const money = (n: number) => formatMoney(n, currency);
  const notices: Notice[] = [];
  const mainKept = kept.some((d) => !d.leaf) || f.current !== undefined;
  const endedLeaves = ended.filter((j) => j !== f.jid);
  if (!mainKept && ended.includes(f.jid)) {
    notices.push({
      to: f.jid,
      text: `Your balance (${money(f.balance ?? 0)}) does not cover ${when} (${money(priceOf(c, f.last, false) ?? 0)}), so your number is no longer active. Send "top-up" to add to it: your account is renewed as soon as it covers a month.`,
    });
  } else if (rules.tellCharges && charge > 0) {
    notices.push({
      to: f.jid,
      text: `${money(charge)} was taken from your balance for ${when} (${planName(c, f.last)}). Left: ${money(left)}.`,
    });
  }
  if (endedLeaves.length)
    notices.push({
      to: f.jid,
      text: `Your balance did not cover ${endedLeaves.length === 1 ? 'one account' : `${endedLeaves.length} accounts`} you pay for, which ended with the month: ${endedLeaves.join(', ')}. Send "top-up", then "accounts".`,
    });
  for (const j of endedLeaves)
    notices.push({
      to: j,
      text: `The account that pays for yours did not cover ${when}, so your number is no longer active. Ask them, or send "upgrade" to pay for it yourself.`,
    });
  const kind = ended.length === 0 ? 'charged' : kept.length === 0 && !f.current ? 'ended' : 'short';
  return { kind, charge, currency, expectBalance, writes: kept.map((d) => ({ jid: d.jid, plan: d.plan })), ended, notices };
}
