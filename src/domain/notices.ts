// Notices sent ahead of the month's end: a trial that ends, a balance that will not cover next month. Each is
// sent 7 days before the end of the month and again on its last day (`stage` 7 and 1), at most once per account,
// kind, stage and month (the marker is written with the message). Pure: from the same facts as the rollover
// into next month.
import { type Catalogue, formatMoney, isPaid } from './catalogue.js';
import { daysLeft, monthEnd, monthName, shiftMonth, yyyymm } from './months.js';
import { formatTel, numberLabel } from './phone.js';
import type { NumberInfo, Purpose } from './ports.js';
import { dueFor, type RolloverFacts } from './rollover.js';

export type NoticeKind = 'trial-ends' | 'balance-short' | 'number-release';

export interface DueNotice {
  readonly kind: NoticeKind;
  /** 7: a week before the month ends; 1: its last day. */
  readonly stage: 7 | 1;
  /** The month it is about (YYYYMM: the one ending). */
  readonly month: string;
  readonly to: string;
  readonly text: string;
}

/** `facts` are read for the rollover into next month: `last` is this month's plan, `current` next month's. */
export function dueNotices(f: RolloverFacts, now: Date, catalogue: Catalogue): DueNotice[] {
  const left = daysLeft(now);
  if (left > 7 || f.isLeaf || !f.last) return [];
  const stage = left <= 1 ? 1 : 7;
  const month = yyyymm(now);
  const lastDay = monthEnd(now, 0);
  const when = left <= 1 ? 'today' : `on ${lastDay}, in ${left - 1} days`;
  if (f.last === catalogue.trial.second.id) {
    if (f.current) return [];
    return [
      {
        kind: 'trial-ends',
        stage,
        month,
        to: f.jid,
        text: `Your free trial ends ${when}. Send "upgrade" to pay and keep your number.`,
      },
    ];
  }
  const plan = catalogue.byId(f.last);
  if (!isPaid(plan)) return [];
  const due = dueFor(f, catalogue);
  if (due === 'unknown-plan' || !due.length) return [];
  const needed = due.reduce((n, d) => n + d.price, 0);
  const balance = f.balance ?? 0;
  if (balance >= needed) return [];
  const money = (n: number) => formatMoney(n, plan.currency);
  const others = due.filter((d) => d.leaf).length;
  const what = others ? ` for your account and the ${others === 1 ? 'one' : others} you pay for` : '';
  return [
    {
      kind: 'balance-short',
      stage,
      month,
      to: f.jid,
      text: `Your balance (${money(balance)}) does not cover ${monthName(shiftMonth(month, 1))} (${money(needed)}${what}). Send "top-up" to add at least ${money(needed - balance)} before the month ends ${when}, or your number stops working.`,
    },
  ];
}

/** A card payment closed unpaid: its link lapsed (Stripe's event, or the bot's deadline), or the bank refused it. */
export function paymentClosedText(failed: boolean, purpose: Purpose, tel: string): string {
  const what = failed ? 'Your payment did not go through' : 'Your payment link expired';
  const next =
    purpose === 'signup'
      ? ` and ${formatTel(tel)} is no longer held for you. Send "signup" to start again.`
      : `. Send "${purpose === 'top-up' ? 'top-up' : 'upgrade'}" for a new link.`;
  return `${what}; nothing was charged${next}`;
}

/** A signup's hold on a number lapsed: nobody went on with it in `seconds` (the session's life). */
export function holdLapsedText(n: NumberInfo, seconds: number): string {
  return `I held ${numberLabel(n)} for you for ${howLong(seconds)}; it is no longer held. Send "signup" to choose a number again.`;
}

/** `30 minutes`, `1 hour`, `45 seconds`: a setting's length, as a person says it. */
export function howLong(seconds: number): string {
  const unit = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;
  if (seconds >= 3600 && seconds % 3600 === 0) return unit(seconds / 3600, 'hour');
  if (seconds >= 60) return unit(Math.round(seconds / 60), 'minute');
  return unit(seconds, 'second');
}
