// What a person is about to pay for, derived from what they chose and their account state. Pure: amounts come
// only from the plan catalogue, never from a form.
import type { AccountState } from './account-state.js';
import { type Catalogue, formatMoney, isPaid, paidThrough, planName } from './catalogue.js';
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

/** The currency a registered account pays in: its plan's, else the first paid plan's. */
export function currencyFor(state: AccountState, catalogue: Catalogue): string | undefined {
  const plan = 'plan' in state && state.plan ? catalogue.byId(state.plan) : undefined;
  return isPaid(plan) ? plan.currency : catalogue.paid[0]?.currency;
}

/** The purchase, or why there is none for this state (e.g. the period is already paid). */
export function purchaseFor(data: PurchaseChoice, state: AccountState, catalogue: Catalogue): Purchase | { readonly refused: Text } {
  if (data.topUp !== undefined) {
    const currency = currencyFor(state, catalogue);
    if (state.kind !== 'active' || !currency) return { refused: 'Top-ups are for active paid accounts.' };
    if (!catalogue.topUp[currency]?.includes(data.topUp)) return { refused: 'That amount is not offered.' };
    return { purpose: 'top-up', plan: '', tel: '', amount: data.topUp, currency, price: 0 };
  }
  const plan = data.plan ? catalogue.byId(data.plan) : undefined;
  if (!isPaid(plan)) return { refused: 'That plan is not offered.' };
  const base = { plan: plan.id, amount: plan.monthlyPrice, currency: plan.currency, price: plan.monthlyPrice };
  switch (state.kind) {
    case 'new':
      return data.reserved
        ? { purpose: 'signup', tel: data.reserved, ...base }
        : { refused: text`Choose a number first: ${send(NODES.signup)}.` };
    case 'expired':
      return { purpose: 'renew', tel: '', ...base };
    case 'trial':
      return { purpose: 'upgrade', tel: '', ...base };
    case 'active':
      return { refused: 'Your account is already paid for this month.' };
    case 'paid-unregistered':
      return { refused: text`Your account is already paid: ${send(NODES.signup)} to choose your number.` };
    case 'pending':
      return { refused: 'Your signup is waiting for approval.' };
  }
}

/** The summary shown before any charge: number, plan, price, and what it covers. */
export function summaryLines(p: Purchase, data: PurchaseChoice, catalogue: Catalogue, now: Date): string[] {
  const price = formatMoney(p.amount, p.currency);
  if (p.purpose === 'top-up') return [`Add ${price} to your prepaid balance.`];
  const lines = [];
  if (p.purpose === 'signup' && data.choice) lines.push(`Number: ${numberLabel(data.choice)}`);
  lines.push(`Plan: ${planName(catalogue, p.plan)}`);
  lines.push(`Price: ${price}, paid by card now; your account is then paid through ${paidThrough(now)}.`);
  return lines;
}
