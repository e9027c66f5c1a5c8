// Calendar months in UTC, as the seeds' plan keys count them (`payment-plan_as_of_YYYYMM-JID`). Pure.

/** `YYYYMM` of a date, in UTC. */
export function yyyymm(d: Date): string {
  return `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** `YYYYMM` of the month `offset` months after `now`'s month (negative: before). */
export function monthOf(now: Date, offset: number): string {
  return yyyymm(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1)));
}

/** First day of the month `monthsBack` months before `now`'s month, as YYYY-MM-01 (UTC). */
export function monthStart(now: Date, monthsBack: number): string {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - monthsBack, 1)).toISOString().slice(0, 10);
}

/** The last day (YYYY-MM-DD) of the month `offset` months after `now`'s month. */
export function monthEnd(now: Date, offset: number): string {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset + 1, 0)).toISOString().slice(0, 10);
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** `YYYYMM` → "January 2027". */
export function monthName(month: string): string {
  return `${MONTHS[Number(month.slice(4, 6)) - 1] ?? month.slice(4, 6)} ${month.slice(0, 4)}`;
}

/** The `YYYYMM` `offset` months after `month` (negative: before). */
export function shiftMonth(month: string, offset: number): string {
  return yyyymm(new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(4, 6)) - 1 + offset, 1)));
}

/** Days in `now`'s month (UTC). */
export function daysInMonth(now: Date): number {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 0)).getUTCDate();
}

/** Days left in `now`'s month, today included (the last day: 1). */
export function daysLeft(now: Date): number {
  return daysInMonth(now) - now.getUTCDate() + 1;
}

/** `YYYY-MM-DD` of a date, in UTC. */
export function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** XEP-0122 xs:date: YYYY-MM-DD, a day that exists. */
export function isDate(v: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}
