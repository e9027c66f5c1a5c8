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
  /** `endedBy`: the month (YYYYMM) whose rollover ended the account; the script checks its marker again. */
  | { readonly kind: 'release'; readonly tel: string; readonly text: string; readonly endedBy: string };

const DAY = 86_400_000;

/**
 * How the rollover ended this account within the window: the first day without a plan (YYYY-MM-DD) and the month
 * whose rollover recorded it as ended (`ended`, `trial-ended`). Undefined while it has a plan this month, when no
 * plan key is in the window (an account from before plan keys, or ended long ago: not ours to judge), or when
 * the rollover only skipped it (for an operator).
 */
function ending(f: ReleaseFacts): { readonly day: string; readonly month: string } | undefined {
  if (f.plans[0] !== undefined) return undefined;
  const last = f.plans.findIndex((p) => p !== undefined);
  if (last < 0) return undefined;
  const outcome = f.outcomes?.[last - 1];
  if (outcome !== 'ended' && outcome !== 'trial-ended') return undefined;
  const y = Number(f.month.slice(0, 4));
  const m = Number(f.month.slice(4, 6)) - 1;
  const day = new Date(Date.UTC(y, m - last + 1, 1)).toISOString().slice(0, 10);
  return { day, month: day.slice(0, 7).replace('-', '') };
}

export function decideRelease(f: ReleaseFacts, now: Date, afterDays: number): ReleaseDecision {
  if (afterDays <= 0 || !f.tel || f.paying) return { kind: 'keep' };
  const end = ending(f);
  if (!end) return { kind: 'keep' };
  const ended = end.day;
  const releaseAt = Date.parse(`${ended}T00:00:00Z`) + afterDays * DAY;
  const on = new Date(releaseAt).toISOString().slice(0, 10);
  const left = Math.ceil((releaseAt - now.getTime()) / DAY);
  const tel = formatTel(f.tel);
  if (left <= 0)
    return {
      kind: 'release',
      tel: f.tel,
      endedBy: end.month,
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
