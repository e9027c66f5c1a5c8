// The seeds' five account states at the options step (SignupAndUpgradeFlow), plus "waiting for approval",
// derived by one pure function from what Redis holds. Every command decides what to offer from this.
import { monthEnd, monthStart } from './months.js';

export type AccountState =
  /** 1: never signed up, nothing paid or approved; `webChoice`: a number the web site chose for it, held for it. */
  | { readonly kind: 'new'; readonly webChoice?: WebChoice }
  /** Signup sent, an admin has not decided yet. */
  | { readonly kind: 'pending'; readonly tel: string; readonly since: string }
  /** 2: approved or paid for this month, but no number (it vanished mid-signup). */
  | { readonly kind: 'paid-unregistered'; readonly plan: string; readonly webChoice?: WebChoice }
  /**
   * 3: has a number and a paid plan this month (or a number from before plans were recorded); `paidThrough`:
   * the last day of the run of paid months from this one.
   */
  | {
      readonly kind: 'active';
      readonly tel: string;
      readonly plan?: string;
      readonly since?: string;
      readonly paidThrough?: string;
      /** The first day (YYYY-MM-01) of the paid months running up to this one. */
      readonly paidSince?: string;
      /** It has a prepaid balance key of its own: it pays (for itself, and maybe for leaves). */
      readonly hasBalance?: true;
      /** A leaf: another account pays for it. */
      readonly leafOf?: LeafOf;
      /** A main: N of the payment-leaf_jids-N list of the leaves it pays for. */
      readonly leafList?: string;
    }
  /**
   * 4: has a number, but no plan this month; `expiredOn` is the first day without one (YYYY-MM-01), `lastPlan` the
   * plan of the month before it (a top-up renews on it).
   */
  | {
      readonly kind: 'expired';
      readonly tel: string;
      readonly expiredOn: string;
      readonly lastPlan?: string;
      readonly since?: string;
      readonly leafOf?: LeafOf;
    }
  /**
   * 5: has a number and a trial plan this month; `trialUntil`: the last day of its trial months; `thenPlan`: the paid
   * plan that follows them, if one is already written.
   */
  | {
      readonly kind: 'trial';
      readonly tel: string;
      readonly plan: string;
      readonly since?: string;
      readonly trialUntil: string;
      readonly thenPlan?: string;
      /** A main offers to pay for this account (it may accept). */
      readonly offer?: PayerOffer;
    };

export type StateKind = AccountState['kind'];

/** Who pays for a leaf, and what the leaf is shown of them (their number, or their JID). */
export interface LeafOf {
  readonly main: string;
  readonly show: 'number' | 'jid';
}

/** The number the web site chose for this JID (web-register), held for it until `until` (ms). */
export interface WebChoice {
  /** E.164. */
  readonly tel: string;
  /** When the site chose it (ms): a reply after that answers the site's message. */
  readonly at: number;
  readonly until: number;
}

/** Someone without a number who may choose one now: new, or paid or approved with none (state 2). */
export function mayChooseNumber(s: AccountState): s is Extract<AccountState, { kind: 'new' | 'paid-unregistered' }> {
  return s.kind === 'new' || s.kind === 'paid-unregistered';
}

/** The web site's number waiting for this person's answer, if any (only someone without a number gets one). */
export function webChoiceOf(s: AccountState): WebChoice | undefined {
  return mayChooseNumber(s) ? s.webChoice : undefined;
}

/** A main's open offer to pay for this account, on the main's leaf list `list`. */
export interface PayerOffer extends LeafOf {
  readonly list: string;
}

/**
 * What the store read, in one round trip. `plans[0]` is this month's plan, then earlier months in order;
 * `ahead[0]` next month's, then later months (plans already written for the future).
 */
export interface AccountFacts {
  readonly tel?: string;
  /** The JID `catapult_jid-<tel>` points at: a number is ours only if it points back. */
  readonly telOwner?: string;
  readonly usageStartDay?: string;
  readonly pending?: { readonly tel: string; readonly at: string };
  readonly plans: readonly (string | undefined)[];
  readonly ahead?: readonly (string | undefined)[];
  readonly hasBalance?: true;
  readonly leafOf?: LeafOf;
  readonly leafList?: string;
  readonly offer?: PayerOffer;
  readonly webChoice?: WebChoice;
}

/** How many months ahead the store reads plans (the trial's second month, a month paid ahead, and more). */
export const PLANS_AHEAD = 3;

export function isRegistered(s: AccountState): s is Extract<AccountState, { tel: string }> & { kind: 'active' | 'expired' | 'trial' } {
  return s.kind === 'active' || s.kind === 'expired' || s.kind === 'trial';
}

/** How far from `months[0]` the months run on, each present and kept by `keep`: the index of the last one. */
function runEnd(months: readonly (string | undefined)[], keep: (plan: string) => boolean): number {
  let last = 0;
  while (last + 1 < months.length && months[last + 1] !== undefined && keep(months[last + 1] as string)) last++;
  return last;
}

export function deriveAccountState(jid: string, f: AccountFacts, now: Date, isTrialPlan: (plan: string) => boolean): AccountState {
  const tel = f.tel && f.telOwner === jid ? f.tel : undefined;
  const plan = f.plans[0];
  const since = f.usageStartDay ? { since: f.usageStartDay } : {};
  if (!tel) {
    if (f.pending) return { kind: 'pending', tel: f.pending.tel, since: f.pending.at };
    const web = f.webChoice && f.webChoice.until > now.getTime() ? { webChoice: f.webChoice } : {};
    return plan ? { kind: 'paid-unregistered', plan, ...web } : { kind: 'new', ...web };
  }
  if (plan) {
    // This month and the months after it, as long as they run on without a gap.
    const run = [plan, ...(f.ahead ?? [])];
    const until = (keep: (p: string) => boolean) => runEnd(run, keep);
    if (!isTrialPlan(plan)) {
      // The same run backwards: the paid months up to this one.
      const back = runEnd(f.plans, (p) => !isTrialPlan(p));
      return {
        kind: 'active',
        tel,
        plan,
        ...since,
        paidThrough: monthEnd(
          now,
          until((p) => !isTrialPlan(p)),
        ),
        paidSince: monthStart(now, back),
        ...(f.hasBalance ? { hasBalance: true as const } : {}),
        ...(f.leafOf ? { leafOf: f.leafOf } : {}),
        ...(f.leafList ? { leafList: f.leafList } : {}),
      };
    }
    const lastTrial = until(isTrialPlan);
    const thenPlan = run[lastTrial + 1];
    return {
      kind: 'trial',
      tel,
      plan,
      ...since,
      trialUntil: monthEnd(now, lastTrial),
      ...(thenPlan ? { thenPlan } : {}),
      ...(f.offer ? { offer: f.offer } : {}),
    };
  }
  const last = f.plans.findIndex((p) => p !== undefined);
  // A number with no plan key in the window predates plan keys: treat it as active, as JMP did.
  if (last < 0) return { kind: 'active', tel, ...since };
  const lastPlan = f.plans[last];
  return {
    kind: 'expired',
    tel,
    expiredOn: monthStart(now, last - 1),
    ...(lastPlan ? { lastPlan } : {}),
    ...since,
    ...(f.leafOf ? { leafOf: f.leafOf } : {}),
  };
}
