// "Account status": plan and since when, for the requester's own account only.
import type { AccountState } from './account-state.js';
import { registeredOnly } from './access.js';
import type { Settings } from './deps.js';
import { done } from './signup/describe.js';
import { formatTel } from './signup/phone.js';
import type { Command } from './types.js';

export function planName(plan: string | undefined, settings: Settings): string {
  if (plan === undefined) return 'not recorded';
  if (plan === settings.trialPlans.first) return 'free trial (first month)';
  if (plan === settings.trialPlans.second) return 'free trial (second month)';
  return plan;
}

export function describeStatus(state: AccountState, settings: Settings): string {
  const since = 'since' in state && state.since ? `, since ${state.since}` : '';
  switch (state.kind) {
    case 'active':
    case 'trial':
      return `Your number is ${formatTel(state.tel)}${since}. Plan this month: ${planName(state.plan, settings)}.`;
    case 'expired':
      return `Your number is ${formatTel(state.tel)}${since}. Your plan expired on ${state.expiredOn}.`;
    case 'pending':
      return `Your signup for ${formatTel(state.tel)} is waiting for approval.`;
    case 'paid-unregistered':
      return `Your account is approved (plan: ${planName(state.plan, settings)}) but has no number yet. Send "signup" to choose one.`;
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
        return done(describeStatus(await ctx.deps.accountState(ctx.who.bare), ctx.deps.settings));
      },
      submit: async () => ({ done: done('') }),
    },
  },
};
