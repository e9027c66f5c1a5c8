// Numbers of ended accounts going back to the inventory (optional: NUMBER_RELEASE_DAYS, off by default): a number
// is released that many days after its account ended, with notices 7 days and 1 day before. Pure: from the
// account's plan keys for this month and the months before it.
import { formatTel } from './phone.js';

export interface ReleaseFacts {
  readonly jid: string;
  /** Its number, as the bot gave it (bot-jid_number, pointing back); JMP's own accounts are never released. */
  readonly tel?: string;
  /** Plan keys for this month and the months before it, newest first (YYYYMM of index 0 is `month`). */
  readonly plans: readonly (string | undefined)[];
  readonly month: string;
  /** The rollover's outcome recorded for each month of `plans` (same order): a release needs it to have ended it. */
  readonly outcomes?: readonly (string | undefined)[];
  /** A payment (a renewal, a top-up) is open or settling: it may renew the account. */
  readonly paying?: boolean;
}

export type ReleaseDecision =
  | { readonly kind: 'keep' }
  | { readonly kind: 'notice'; readonly stage: 7 | 1; readonly on: string; readonly text: string }
  | { readonly kind: 'release'; readonly tel: string; readonly text: string };

const DAY = 86_400_000;

/** The first day without a plan (YYYY-MM-DD), when the account ended within the window and has none now. */
export function endedOn(f: ReleaseFacts): string | undefined {
  if (f.plans[0] !== undefined) return undefined;
  const last = f.plans.findIndex((p) => p !== undefined);
  // No plan key in the window: an account from before plan keys, or ended long ago; not ours to judge.
  if (last < 0) return undefined;
  const y = Number(f.month.slice(0, 4));
  const m = Number(f.month.slice(4, 6)) - 1;
  return new Date(Date.UTC(y, m - last + 1, 1)).toISOString().slice(0, 10);
}

/** The month (YYYYMM) an account ended with, as the rollover recorded it (`ended`, `trial-ended`), or undefined. */
export function endedMonth(f: ReleaseFacts): string | undefined {
  const ended = endedOn(f);
  if (!ended) return undefined;
  const i = f.plans.findIndex((p) => p !== undefined) - 1;
  const outcome = f.outcomes?.[i];
  return outcome === 'ended' || outcome === 'trial-ended' ? ended.slice(0, 7).replace('-', '') : undefined;
}

export function decideRelease(f: ReleaseFacts, now: Date, afterDays: number): ReleaseDecision {
  if (afterDays <= 0 || !f.tel || f.paying) return { kind: 'keep' };
  const ended = endedOn(f);
  // Only an account the rollover ended (not one it skipped for an operator, or could not decide) loses its number.
  if (!ended || !endedMonth(f)) return { kind: 'keep' };
  const releaseAt = Date.parse(`${ended}T00:00:00Z`) + afterDays * DAY;
  const on = new Date(releaseAt).toISOString().slice(0, 10);
  const left = Math.ceil((releaseAt - now.getTime()) / DAY);
  const tel = formatTel(f.tel);
  if (left <= 0)
    return {
      kind: 'release',
      tel: f.tel,
      text: `Your number ${tel} has gone back to the pool: your account ended on ${ended}. Send "signup" for a new number any time.`,
    };
  if (left > 7) return { kind: 'keep' };
  const stage = left <= 1 ? 1 : 7;
  return {
    kind: 'notice',
    stage,
    on,
    text: `Your account ended on ${ended}; your number ${tel} goes back to the pool on ${on} unless you renew it before: send "upgrade".`,
  };
}
