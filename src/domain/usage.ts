// Usage of a number (messages and voice minutes), as the SMS/voice gateway counts it per day: which days a person
// asked for, and the table that shows them. Pure.
import { isDate } from './months.js';

/** What a gateway counts, per number and day (`usage_day-NUMBER-YYYYMMDD`, a hash of these fields). */
export const USAGE_KINDS = ['messages_in', 'messages_out', 'minutes_in', 'minutes_out'] as const;
export type UsageKind = (typeof USAGE_KINDS)[number];

export type DayUsage = { readonly day: string } & Readonly<Record<UsageKind, number>>;

/** The longest range one request may show (a year). */
export const MAX_DAYS = 366;
/** The range shown when none is asked for: the last 31 days, today included. */
export const DEFAULT_DAYS = 31;

const DAY_MS = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const msOf = (day: string) => Date.parse(`${day}T00:00:00Z`);

/** `20261201` or `2026-12-01` → `2026-12-01`; undefined when it is not a day. */
export function readDay(text: string): string | undefined {
  const t = text.trim();
  const day = /^\d{8}$/.test(t) ? `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6)}` : t;
  return isDate(day) ? day : undefined;
}

export type Range = { readonly from: string; readonly to: string; readonly note?: string } | { readonly error: string };

/**
 * The days to show (YYYY-MM-DD, both included): asked for, or the last 31; never after today, never before the
 * number was first used (`startDay`), at most a year.
 */
export function usageRange(now: Date, asked: { readonly from?: string; readonly to?: string }, startDay?: string): Range {
  const today = iso(now.getTime());
  const to = asked.to && asked.to < today ? asked.to : today;
  let from = asked.from ?? iso(msOf(to) - (DEFAULT_DAYS - 1) * DAY_MS);
  if (from > to) return { error: `The start date ${from} is after the end date ${to}.` };
  let note: string | undefined;
  if (startDay && from < startDay) {
    from = startDay;
    note = `The number was first used on ${startDay}: nothing before that is counted.`;
    if (from > to) return { error: `The number was first used on ${startDay}: there is no usage to show before that.` };
  }
  if ((msOf(to) - msOf(from)) / DAY_MS + 1 > MAX_DAYS) return { error: `That is more than ${MAX_DAYS} days: ask for a year at most.` };
  return { from, to, ...(note ? { note } : {}) };
}

/** Every day from `from` to `to`, in order. */
export function daysOf(from: string, to: string): string[] {
  const out: string[] = [];
  for (let ms = msOf(from); ms <= msOf(to); ms += DAY_MS) out.push(iso(ms));
  return out;
}

export interface UsageTable {
  readonly columns: readonly { readonly var: string; readonly label: string }[];
  readonly rows: readonly Readonly<Record<string, string>>[];
  readonly total: Readonly<Record<UsageKind, number>>;
}

const COLUMNS = [
  { var: 'day', label: 'Day' },
  { var: 'messages_in', label: 'Msgs in' },
  { var: 'messages_out', label: 'Msgs out' },
  { var: 'minutes_in', label: 'Min in' },
  { var: 'minutes_out', label: 'Min out' },
] as const;

/** One row per day that had any use (days without any are left out, so a month fits a chat message), and the total. */
export function usageTable(days: readonly DayUsage[]): UsageTable {
  const total = { messages_in: 0, messages_out: 0, minutes_in: 0, minutes_out: 0 };
  const rows: Record<string, string>[] = [];
  for (const d of days) {
    for (const k of USAGE_KINDS) total[k] += d[k];
    if (USAGE_KINDS.some((k) => d[k] > 0)) rows.push({ day: d.day, ...Object.fromEntries(USAGE_KINDS.map((k) => [k, String(d[k])])) });
  }
  return { columns: COLUMNS, rows, total };
}

/** "In total: 12 messages in, 9 out; 30 voice minutes in, 4 out." */
export function totalLine(t: Readonly<Record<UsageKind, number>>): string {
  return `In total: ${t.messages_in} messages in, ${t.messages_out} out; ${t.minutes_in} voice minutes in, ${t.minutes_out} out.`;
}
