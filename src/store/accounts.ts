// Accounts: the state read for every command, and the atomic signup writes (approval request, approve, deny, assign).
import type { Redis } from 'ioredis';
import { type AccountFacts, type LeafOf, type PayerOffer, PLANS_AHEAD, type WebChoice } from '../domain/account-state.js';
import { isoDay, monthOf, yyyymm } from '../domain/months.js';
import type { AccountsPort, ApprovalNotice, ApproveResult, PendingSignup, TrialPlans } from '../domain/ports.js';
import { keys } from './keys.js';
import { guarded } from './redis.js';
import { scripts } from './scripts.js';

/** How many months back accountState looks for the last plan (to say when an account expired). */
export const PLAN_LOOKBACK_MONTHS = 24;

/** account-state.lua's keys (the plan keys it names from the JID and the months). */
function factKeys(jid: string): string[] {
  return [
    keys.catapultCred(jid),
    keys.jidNumber(jid),
    keys.pending(jid),
    keys.balancePrepaid(jid),
    keys.leafMain(jid),
    keys.leafJidsIndex(jid),
    keys.payerInvite(jid),
    keys.webChoice(jid),
  ];
}

/** bot-leaf_main-JID: JSON {main, show}. */
export function readLeafOf(raw: string): LeafOf {
  const v = JSON.parse(raw) as { main?: string; show?: string };
  return { main: v.main ?? '', show: v.show === 'jid' ? 'jid' : 'number' };
}

/** bot-payer_invite-JID: JSON {main, show, list, at}. */
function readOffer(raw: string): PayerOffer {
  const v = JSON.parse(raw) as { main?: string; show?: string; list?: string };
  return { main: v.main ?? '', show: v.show === 'jid' ? 'jid' : 'number', list: v.list ?? '' };
}

/** bot-web_choice-JID: a number and the end of its hold; anything else (another tool's write) reads as none. */
export function readWebChoice(raw: string): WebChoice | undefined {
  try {
    const v = JSON.parse(raw) as { tel?: unknown; at?: unknown; until?: unknown };
    if (typeof v.tel !== 'string' || typeof v.until !== 'number') return undefined;
    return { tel: v.tel, at: typeof v.at === 'number' ? v.at : 0, until: v.until };
  } catch {
    return undefined;
  }
}

/** account-state-fn.lua's keys and arguments for `jid` (the plan keys it names from the JID and the months). */
export function factsCall(jid: string, now: Date): { keys: string[]; args: (string | number)[] } {
  return { keys: factKeys(jid), args: [jid, PLANS_AHEAD, PLAN_LOOKBACK_MONTHS, yyyymm(now)] };
}

/** account-state-fn.lua's reply as facts. */
export function readFacts(r: readonly string[]): AccountFacts {
  const [tel, owner, since, pending, balance, leafOf, leafList, offer, web, ...newestFirst] = r;
  const plans = newestFirst.map((x) => x || undefined);
  const p = pending ? (JSON.parse(pending) as PendingSignup) : undefined;
  const webChoice = web ? readWebChoice(web) : undefined;
  return {
    ...(tel ? { tel } : {}),
    ...(owner ? { telOwner: owner } : {}),
    ...(since ? { usageStartDay: since } : {}),
    ...(p ? { pending: { tel: p.tel, at: p.at } } : {}),
    ...(balance ? { hasBalance: true as const } : {}),
    ...(leafOf ? { leafOf: readLeafOf(leafOf) } : {}),
    ...(leafList ? { leafList } : {}),
    ...(offer ? { offer: readOffer(offer) } : {}),
    ...(webChoice ? { webChoice } : {}),
    plans: plans.slice(PLANS_AHEAD),
    ahead: plans.slice(0, PLANS_AHEAD).reverse(),
  };
}

export class AccountStore implements AccountsPort {
  constructor(private readonly redis: Redis) {}

  async facts(jid: string, now: Date): Promise<AccountFacts> {
    const call = factsCall(jid, now);
    return readFacts((await scripts.accountState.run(this.redis, call.keys, call.args)) as string[]);
  }

  /** Turn the session's reservation into a hold awaiting an admin. */

  async pendingList(limit: number): Promise<PendingSignup[]> {
    const jids = await guarded(() => this.redis.zrange(keys.pendingApprovals, '0', String(limit - 1)));
    if (!jids.length) return [];
    const raws = await guarded(() => this.redis.mget(...jids.map((j) => keys.pending(j))));
    return raws.flatMap((r) => (r ? [JSON.parse(r) as PendingSignup] : []));
  }

  async pending(jid: string): Promise<PendingSignup | undefined> {
    const r = await guarded(() => this.redis.get(keys.pending(jid)));
    return r ? (JSON.parse(r) as PendingSignup) : undefined;
  }

  /** Approve: trial plans for this month and next, and the held number, in one script. */
  async approve(jid: string, plans: TrialPlans, now: Date, tell?: ApprovalNotice): Promise<ApproveResult> {
    const [outcome, tel] = (await scripts.approve.run(
      this.redis,
      [keys.pending(jid), keys.pendingApprovals, keys.planAsOf(monthOf(now, 0), jid), keys.planAsOf(monthOf(now, 1), jid), keys.outbox],
      [jid, plans.first, plans.second, isoDay(now), tell?.tel ?? '', tell?.assigned ?? '', tell?.gone ?? ''],
    )) as [ApproveResult['outcome'], string];
    return { outcome, tel };
  }

  /** Deny: returns the number that was held, or undefined when nothing was pending (or it changed number). */
  async deny(jid: string, tell?: { readonly tel: string; readonly text: string }): Promise<string | undefined> {
    const tel = (await scripts.deny.run(
      this.redis,
      [keys.pending(jid), keys.pendingApprovals, keys.outbox],
      [jid, tell?.tel ?? '', tell?.text ?? ''],
    )) as string;
    return tel || undefined;
  }

  /** Sign up a JID that is already approved or paid, with the number its session holds. */
  async assign(jid: string, tel: string, sessionOwner: string, now: Date): Promise<'ok' | 'unavailable' | 'already-registered'> {
    return (await scripts.assign.run(this.redis, [], [tel, sessionOwner, jid, isoDay(now)])) as 'ok' | 'unavailable' | 'already-registered';
  }
}
