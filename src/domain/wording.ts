// How the bot describes an account, in every command that says where someone stands. Pure.
import { type AccountState, mayChooseNumber } from './account-state.js';
import { type Catalogue, formatMoney, planName } from './catalogue.js';
import { NODES } from './nodes.js';
import { howLong } from './notices.js';
import { formatTel, numberLabel } from './phone.js';
import type { NumberInfo, OpenLink } from './ports.js';
import { Send, send, type Text, text } from './text.js';

/** Why signup does not start for this state, or undefined when it should. */
export function signupBlocked(state: AccountState): Text | undefined {
  switch (state.kind) {
    case 'active':
      return text`You are already registered: your number is ${formatTel(state.tel)}. ${Send(NODES.status)} for details.`;
    case 'trial':
      return text`You are already registered: your number is ${formatTel(state.tel)}, on a free trial. ${Send(NODES.upgrade)} to keep it after the trial.`;
    case 'expired':
      return text`Your account with ${formatTel(state.tel)} expired on ${state.expiredOn}. ${Send(NODES.upgrade, 'renew')} to renew it.`;
    case 'pending':
      return text`Your signup for ${formatTel(state.tel)} is waiting for approval. You will get a message here when it is decided. To withdraw it, ${send(NODES.withdraw)}.`;
    case 'new':
    case 'paid-unregistered':
      return undefined;
  }
}

/** One line about the account: number, since when, and this month's plan (or why there is none). */
export function describeStatus(state: AccountState, catalogue: Catalogue): Text {
  const since = 'since' in state && state.since ? `, since ${state.since}` : '';
  switch (state.kind) {
    case 'active': {
      const through = state.paidThrough ? `, paid through ${state.paidThrough}` : '';
      return `Your number is ${formatTel(state.tel)}${since}. Plan this month: ${planName(catalogue, state.plan)}${through}.`;
    }
    case 'trial': {
      const then = state.thenPlan ? `, then ${planName(catalogue, state.thenPlan)}` : '';
      return `Your number is ${formatTel(state.tel)}${since}. Free trial until ${state.trialUntil}${then}.`;
    }
    case 'expired':
      return `Your number is ${formatTel(state.tel)}${since}. Your plan expired on ${state.expiredOn}.`;
    case 'pending':
      return text`Your signup for ${formatTel(state.tel)} is waiting for approval. To withdraw it, ${send(NODES.withdraw)}.`;
    case 'paid-unregistered':
      return text`Your account is approved (plan: ${planName(catalogue, state.plan)}) but has no number yet. ${Send(NODES.signup)} to choose one.`;
    case 'new':
      return text`You have no account yet. ${Send(NODES.signup)} to get a number.`;
  }
}

/** State 2 of the options step: paid or approved, but no number yet. */
export const paidWithoutNumber: Text = text`Your account is paid or approved but has no number yet. ${Send(NODES.signup)} to choose one; you will not pay again.`;

export const noAccountYet: Text = text`You have no account yet. ${Send(NODES.signup)} to choose a number.`;

export const noNumberYet: Text = text`You have no number yet. ${Send(NODES.signup)} to get one.`;

/** State 3 of the options step, registered and paid: the number and this month's plan, nothing to buy. */
export function registeredAndPaid(state: Extract<AccountState, { kind: 'active' }>, catalogue: Catalogue): string {
  const lines = [`You are registered: your number is ${formatTel(state.tel)}${state.since ? `, since ${state.since}` : ''}.`];
  if (state.plan) lines.push(`Plan this month: ${planName(catalogue, state.plan)}, paid.`);
  return lines.join('\n');
}

export const cardPaymentsUnavailable = 'Card payments are not available right now. Please try again later.';

/** A card payment the person opened and has not paid yet, with its link again. */
/** A signup payment that was made and awaits the processor's confirmation: nothing to cancel or choose any more. */
export const paymentSettling = (tel: string) =>
  `Your card payment for ${formatTel(tel)} has just been made and is being confirmed. You will get a message here as soon as your number is ready.`;

/** The person's open payment, its link and until when; a signup's says how to cancel it. */
export function openPaymentText(open: OpenLink): Text {
  const until = `${open.until.toISOString().slice(11, 16)} UTC`;
  if (open.tel)
    return text`Your card payment for ${formatTel(open.tel)} is waiting: pay here ${open.url}\nThe number is held for you until ${until}. ${Send(NODES.withdraw)} to cancel it.`;
  return `Your card payment of ${formatMoney(open.amount, open.currency)} is waiting: pay here ${open.url}\nThe link works until ${until}.`;
}

/**
 * The message to the address the web site named (web-register), by what that address is: only someone without a
 * number is offered it; the site is told the same whatever this says.
 */
export function webChosenText(state: AccountState, n: NumberInfo, holdSeconds: number): string {
  if (mayChooseNumber(state))
    return `${numberLabel(n)} was chosen for you on the web site. Reply y to make it your JMP number, or n. It is held for you for ${howLong(holdSeconds)}.`;
  const asked = 'Someone asked for a number for this address on the web site';
  if (state.kind === 'pending')
    return `${asked}; your signup for ${formatTel(state.tel)} is already waiting for approval, so nothing changes.`;
  return `${asked}; you already have ${formatTel(state.tel)}, so nothing changes. If it was not you, you can ignore this.`;
}
