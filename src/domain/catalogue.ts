// The plan catalogue the operator configures (PLANS_FILE): plan ids in JMP's style, prices in integer
// minor units (cents), which plans are the two trial months, and the top-up amounts per currency. Pure.
import { daysInMonth, daysLeft, monthEnd } from './months.js';

export interface PaidPlan {
  readonly id: string;
  readonly name: string;
  /** ISO 4217, lower case as Stripe writes it (`usd`). */
  readonly currency: string;
  /** Price of one month in minor units (499 = $4.99). */
  readonly monthlyPrice: number;
  /** Price of one month of a leaf account on this plan (an extra line paid by a main); the plan's price if unset. */
  readonly leafPrice?: number;
}

export interface TrialPlan {
  readonly id: string;
  readonly name: string;
  readonly trial: 'first' | 'second';
}

export type Plan = PaidPlan | TrialPlan;

export interface Catalogue {
  /** Paid plans in the file's order: the ones a person can choose. */
  readonly paid: readonly PaidPlan[];
  readonly trial: { readonly first: TrialPlan; readonly second: TrialPlan };
  /** Amounts a paying user may add to the prepaid balance, per currency, in minor units. */
  readonly topUp: Readonly<Record<string, readonly number[]>>;
  byId(id: string): Plan | undefined;
}

export class CatalogueError extends Error {
  override name = 'CatalogueError';
}

export const isPaid = (p: Plan | undefined): p is PaidPlan => p !== undefined && !('trial' in p);

const PLAN_ID = /^[a-z0-9_]+-v\d{8}$/;
const CURRENCY = /^[a-z]{3}$/;

function isAmount(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n > 0;
}

/**
 * Stripe's smallest charge per currency, in minor units (docs.stripe.com/currencies#minimum-and-maximum-charge-amounts);
 * Stripe refuses a Checkout Session below it, so a catalogue amount below it could never be paid.
 */
export const STRIPE_MINIMUM: Readonly<Record<string, number>> = {
  usd: 50,
  cad: 50,
  eur: 50,
  aud: 50,
  nzd: 50,
  chf: 50,
  gbp: 30,
  jpy: 50,
  sek: 300,
  nok: 300,
  dkk: 250,
  mxn: 1000,
  brl: 50,
  inr: 50,
};

function belowMinimum(amount: number, currency: string, where: string, fail: (msg: string) => never): void {
  const min = STRIPE_MINIMUM[currency];
  if (min !== undefined && amount < min)
    fail(
      `${where}: ${formatMoney(amount, currency)} is below Stripe's smallest charge in ${currency.toUpperCase()} (${formatMoney(min, currency)})`,
    );
}

/** Validate the parsed JSON of a plans file; every mistake is named with where it is. */
export function parseCatalogue(json: unknown): Catalogue {
  const fail = (msg: string): never => {
    throw new CatalogueError(msg);
  };
  if (typeof json !== 'object' || json === null) fail('the file must hold a JSON object with "plans"');
  const root = json as { plans?: unknown; top_up?: unknown };
  if (!Array.isArray(root.plans) || root.plans.length === 0) fail('"plans" must be a non-empty list');
  const plans: Plan[] = [];
  (root.plans as unknown[]).forEach((raw, i) => {
    const where = `plans[${i}]`;
    if (typeof raw !== 'object' || raw === null) fail(`${where} must be an object`);
    const p = raw as Record<string, unknown>;
    const id = p.id;
    if (typeof id !== 'string' || !PLAN_ID.test(id)) fail(`${where}.id must look like usd_monthly-v20261101, not ${JSON.stringify(id)}`);
    if (plans.some((q) => q.id === id)) fail(`${where}.id "${String(id)}" appears twice`);
    const name = typeof p.name === 'string' && p.name.trim() ? p.name.trim() : String(id);
    if (p.trial !== undefined) {
      if (p.trial !== 'first' && p.trial !== 'second') fail(`${where}.trial must be "first" or "second"`);
      plans.push({ id: id as string, name, trial: p.trial as 'first' | 'second' });
      return;
    }
    if (typeof p.currency !== 'string' || !CURRENCY.test(p.currency)) fail(`${where}.currency must be a code like "usd"`);
    if (!isAmount(p.monthly_price)) fail(`${where}.monthly_price must be a whole number of cents above 0 (499 for 4.99)`);
    belowMinimum(p.monthly_price as number, p.currency as string, `${where}.monthly_price`, fail);
    if (p.leaf_price !== undefined && !isAmount(p.leaf_price))
      fail(`${where}.leaf_price must be a whole number of cents above 0 (299 for 2.99), or left out`);
    plans.push({
      id: id as string,
      name,
      currency: p.currency as string,
      monthlyPrice: p.monthly_price as number,
      ...(p.leaf_price !== undefined ? { leafPrice: p.leaf_price as number } : {}),
    });
  });
  const trialOf = (which: 'first' | 'second'): TrialPlan => {
    const found = plans.filter((p): p is TrialPlan => 'trial' in p && p.trial === which);
    if (found.length !== 1) fail(`exactly one plan must have "trial": "${which}" (found ${found.length})`);
    return found[0] as TrialPlan;
  };
  const trial = { first: trialOf('first'), second: trialOf('second') };
  const paid = plans.filter(isPaid);
  const topUp: Record<string, number[]> = {};
  if (root.top_up !== undefined) {
    if (typeof root.top_up !== 'object' || root.top_up === null) fail('"top_up" must map currencies to lists of amounts');
    for (const [cur, amounts] of Object.entries(root.top_up as Record<string, unknown>)) {
      if (!CURRENCY.test(cur)) fail(`top_up: "${cur}" is not a currency code like "usd"`);
      if (!Array.isArray(amounts) || !amounts.every(isAmount)) fail(`top_up.${cur} must be a list of whole amounts in cents`);
      for (const a of amounts as number[]) belowMinimum(a, cur, `top_up.${cur}`, fail);
      topUp[cur] = [...new Set(amounts as number[])].sort((a, b) => a - b);
    }
  }
  const byId = new Map(plans.map((p) => [p.id, p]));
  return { paid, trial, topUp, byId: (id) => byId.get(id) };
}

/** Digits after the decimal point for a currency (2 for usd, 0 for jpy), as Stripe counts minor units. */
function minorDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** 499, "usd" → "$4.99"; 1000, "cad" → "CA$10.00". */
export function formatMoney(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency, currencyDisplay: 'symbol' }).format(minor / 10 ** digits);
  } catch {
    return `${(minor / 10 ** digits).toFixed(digits)} ${currency.toUpperCase()}`;
  }
}

/** 1000, "usd" → "10.00": an amount as a person would type it, without the currency sign. */
export function moneyValue(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  return (minor / 10 ** digits).toFixed(digits);
}

/** A plan's name for people; ids not in the catalogue (older plans) are shown as they are. */
export function planName(catalogue: Catalogue, id: string | undefined): string {
  if (id === undefined) return 'not recorded';
  return catalogue.byId(id)?.name ?? id;
}

/**
 * What activating a plan at `now` costs (a card signup, a renewal): the rest of this month pro rata by days,
 * today included, rounded to the minor unit, and the whole next month.
 */
export interface ActivationCharge {
  readonly rest: number;
  readonly next: number;
  readonly total: number;
  /** Days of this month it covers (today included), of `daysInMonth`. */
  readonly days: number;
  readonly daysInMonth: number;
}

/** `price` for `days` of a month of `inMonth` days, rounded to the minor unit (leaf-fn.lua rounds the same way). */
function proRata(price: number, days: number, inMonth: number): number {
  return Math.round((price * days) / inMonth);
}

export function activationCharge(monthlyPrice: number, now: Date): ActivationCharge {
  const inMonth = daysInMonth(now);
  const days = daysLeft(now);
  const rest = proRata(monthlyPrice, days, inMonth);
  return { rest, next: monthlyPrice, total: rest + monthlyPrice, days, daysInMonth: inMonth };
}

/**
 * What making a leaf costs its main at `now`, for scripts that know the main's plan only inside: each paid plan's
 * leaf price, and the days left of this month (a leaf is activated like an account: the rest of this month pro
 * rata, then every further month the main has paid, at the full leaf price).
 */
export interface LeafChargeBasis {
  readonly prices: Readonly<Record<string, number>>;
  readonly days: number;
  readonly daysInMonth: number;
}

export function leafChargeBasis(c: Catalogue, now: Date): LeafChargeBasis {
  const prices = Object.fromEntries(c.paid.map((p) => [p.id, p.leafPrice ?? p.monthlyPrice]));
  return { prices, days: daysLeft(now), daysInMonth: daysInMonth(now) };
}

/** What making a leaf costs now, the main's plans for this month and the months after given in order. */
export function leafCharge(basis: LeafChargeBasis, mainPlans: readonly (string | undefined)[], isTrial: (p: string) => boolean): number {
  const price = mainPlans[0] ? basis.prices[mainPlans[0]] : undefined;
  if (price === undefined) return 0;
  let total = proRata(price, basis.days, basis.daysInMonth);
  for (const p of mainPlans.slice(1)) {
    if (!p || isTrial(p)) break;
    total += price;
  }
  return total;
}

/** The last day (YYYY-MM-DD) a payment made at `now` covers: plans are written for this month and the next. */
export function paidThrough(now: Date): string {
  return monthEnd(now, 1);
}
