// What a person is about to pay for, derived from what they chose and their account state. Pure: amounts come
// only from the plan catalogue, never from a form.
import type { AccountState } from './account-state.js';
import { activationCharge, type Catalogue, formatMoney, isPaid, type PaidPlan, paidThrough, planName } from './catalogue.js';
import { monthName, yyyymm } from './months.js';
import { NODES } from './nodes.js';
import { numberLabel } from './phone.js';
import type { NumberInfo, Purchase } from './ports.js';
import { send, type Text, text } from './text.js';

/** What the person chose on the way to paying. */
export interface PurchaseChoice {
  /** Paid plan chosen (signup, renew, upgrade). */
  readonly plan?: string | undefined;
  /** Top-up amount chosen, minor units. */
  readonly topUp?: number | undefined;
  /** The number the session holds (signup). */
  readonly reserved?: string | undefined;
  readonly choice?: NumberInfo | undefined;
}

/** The currency a registered account pays in: its plan's (an expired one's last), else the first paid plan's. */
export function currencyFor(state: AccountState, catalogue: Catalogue): string | undefined {
  const id = 'plan' in state && state.plan ? state.plan : state.kind === 'expired' ? state.lastPlan : undefined;
  const plan = id ? catalogue.byId(id) : undefined;
  return isPaid(plan) ? plan.currency : catalogue.paid[0]?.currency;
}

/** The paid plan a top-up renews an expired account on (its last one), if it had one. */
export function renewsOn(state: AccountState, catalogue: Catalogue): PaidPlan | undefined {
  // A leaf's months are its main's to pay: it has no balance of its own (the seed's rule).
  if (state.kind !== 'expired' || !state.lastPlan || state.leafOf) return undefined;
  const plan = catalogue.byId(state.lastPlan);
  return isPaid(plan) ? plan : undefined;
}

/**
 * The purchase, or why there is none for this state (e.g. the period is already paid). Activating (a signup, a
 * renewal) costs the rest of this month pro rata and the next month; upgrading a trial keeps its free months and
 * puts one month's price into the balance, which buys the first month after the trial.
 */
export function purchaseFor(
  data: PurchaseChoice,
  state: AccountState,
  catalogue: Catalogue,
  now: Date,
): Purchase | { readonly refused: Text } {
  if (data.topUp !== undefined) {
    const currency = currencyFor(state, catalogue);
    const renewable = renewsOn(state, catalogue) !== undefined;
    if ((state.kind !== 'active' && !renewable) || !currency) return { refused: 'Top-ups are for paid accounts.' };
    if (!catalogue.topUp[currency]?.includes(data.topUp)) return { refused: 'That amount is not offered.' };
    return { purpose: 'top-up', plan: '', tel: '', amount: data.topUp, currency, price: 0 };
  }
  const plan = data.plan ? catalogue.byId(data.plan) : undefined;
  if (!isPaid(plan)) return { refused: 'That plan is not offered.' };
  const total = activationCharge(plan.monthlyPrice, now).total;
  const activation = { plan: plan.id, amount: total, currency: plan.currency, price: total };
  switch (state.kind) {
    case 'new':
      return data.reserved
        ? { purpose: 'signup', tel: data.reserved, ...activation }
        : { refused: text`Choose a number first: ${send(NODES.signup)}.` };
    case 'expired':
      return { purpose: 'renew', tel: '', ...activation };
    case 'trial':
      if (state.thenPlan)
        return {
          refused: `You have already upgraded: ${planName(catalogue, state.thenPlan)} follows your free trial, which runs until ${state.trialUntil}.`,
        };
      return { purpose: 'upgrade', tel: '', plan: plan.id, amount: plan.monthlyPrice, currency: plan.currency, price: plan.monthlyPrice };
    case 'active':
      return { refused: 'Your account is already paid for this month.' };
    case 'paid-unregistered':
      return { refused: text`Your account is already paid: ${send(NODES.signup)} to choose your number.` };
    case 'pending':
      return { refused: 'Your signup is waiting for approval.' };
  }
}

/** The day (YYYY-MM-DD) after `day`. */
function dayAfter(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/**
 * The summary shown before any charge: number, plan, price, what it covers and until when. `state` is the
 * account's, for an upgrade (its trial's end).
 */
export function summaryLines(p: Purchase, data: PurchaseChoice, catalogue: Catalogue, now: Date, state?: AccountState): string[] {
  // Short lines, one fact each: Poezio cuts a fixed field at its column width, and clients show each on its own.
  const money = (n: number) => formatMoney(n, p.currency);
  if (p.purpose === 'top-up') {
    const renew = state ? renewsOn(state, catalogue) : undefined;
    if (!renew) return [`Add ${money(p.amount)} to your prepaid balance.`];
    const c = activationCharge(renew.monthlyPrice, now);
    return [
      `Add ${money(p.amount)} to your prepaid balance.`,
      `Your account has expired: it is renewed from the balance on ${renew.name}`,
      `as soon as it covers the rest of this month and the next (${money(c.total)}),`,
      `and is then paid through ${paidThrough(now)}.`,
    ];
  }
  const lines = [];
  if (p.purpose === 'signup' && data.choice) lines.push(`Number: ${numberLabel(data.choice)}`);
  const plan = catalogue.byId(p.plan);
  const monthly = isPaid(plan) ? plan.monthlyPrice : p.price;
  lines.push(`Plan: ${planName(catalogue, p.plan)}, ${money(monthly)} a month`);
  if (p.purpose === 'upgrade' && state?.kind === 'trial') {
    const from = dayAfter(state.trialUntil);
    const through = paidThrough(new Date(`${state.trialUntil}T00:00:00Z`));
    lines.push(`Your free trial goes on until ${state.trialUntil}; the plan starts ${from}.`);
    lines.push(`Price: ${money(p.amount)} by card now, into your prepaid balance.`);
    lines.push(`It pays for ${monthName(from.slice(0, 7).replace('-', ''))}: paid through ${through}.`);
    lines.push('Each month after is taken from the balance.');
    return lines;
  }
  const c = activationCharge(monthly, now);
  const next = monthName(yyyymm(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1))));
  const rest =
    c.days === c.daysInMonth
      ? `All of this month: ${money(c.rest)}`
      : `Rest of this month (${c.days} of ${c.daysInMonth} days): ${money(c.rest)}`;
  lines.push(`Price: ${money(p.amount)} by card now.`);
  lines.push(`${rest}; ${next}: ${money(c.next)}.`);
  lines.push(`Your account is then paid through ${paidThrough(now)}.`);
  return lines;
}
