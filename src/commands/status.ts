// "Account status": plan and since when, for the requester's own account only.
import type { AccountState } from './account-state.js';
import { registeredOnly } from './access.js';
import { formatMoney, planName } from '../payments/catalogue.js';
import type { Settings } from './deps.js';
import { currencyFor } from './payment/purchase.js';
import { done } from './signup/describe.js';
import { formatTel } from './signup/phone.js';
import type { Command } from './types.js';

export function describeStatus(state: AccountState, settings: Settings): string {
  const since = 'since' in state && state.since ? `, since ${state.since}` : '';
  switch (state.kind) {
    case 'active':
    case 'trial':
      return `Your number is ${formatTel(state.tel)}${since}. Plan this month: ${planName(settings.catalogue, state.plan)}.`;
    case 'expired':
      return `Your number is ${formatTel(state.tel)}${since}. Your plan expired on ${state.expiredOn}.`;
    case 'pending':
      return `Your signup for ${formatTel(state.tel)} is waiting for approval.`;
    case 'paid-unregistered':
      return `Your account is approved (plan: ${planName(settings.catalogue, state.plan)}) but has no number yet. Send "signup" to choose one.`;
    case 'new':
      return 'You have no account yet. Send "signup" to get a number.';
  }
}

export const status: Command = {
  node: 'status',
  name: 'Account status',
  chatWords: ['status'],
  access: registeredOnly,
  start: 'show',
  steps: {
    show: {
      async view(ctx) {
        const { deps, who } = ctx;
        const [state, balance] = await Promise.all([deps.accountState(who.bare), deps.payments?.balance(who.bare)]);
        const text = describeStatus(state, deps.settings);
        const currency = currencyFor(state, deps.settings.catalogue);
        // Only the requester's own balance, and only once there is one.
        return done(balance && currency ? `${text}\nPrepaid balance: ${formatMoney(balance, currency)}.` : text);
      },
      submit: async () => ({ done: done('') }),
    },
  },
};
