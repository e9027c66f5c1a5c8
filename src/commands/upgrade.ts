// Upgrade a trial, or renew an expired account (node `upgrade`): the signup's options step for a registered
// user, then the same plan and payment steps. An active paid account is told its number and plan.
import { pay } from './payment/pay.js';
import { plan } from './payment/plan.js';
import { options } from './signup/options.js';
import type { Command } from './types.js';

export const upgrade: Command = {
  node: 'upgrade',
  name: 'Upgrade or renew your account',
  chatWords: ['upgrade', 'renew'],
  // Offered where there is something to pay; runnable by anyone, who is then told where they stand.
  access: (_who, state) => (state.kind === 'trial' || state.kind === 'expired' ? 'listed' : 'allowed'),
  start: 'options',
  steps: { options, plan, pay },
};
