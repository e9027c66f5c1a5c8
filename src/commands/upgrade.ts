// Upgrade a trial, or renew an expired account (node `upgrade`): the signup's options step for a registered
// user, then the same plan and payment steps. An active paid account is told its number and plan.
import { NODES } from '../domain/nodes.js';
import { defineCommand } from './contract.js';
import { type PurchaseData, purchaseData } from './payment/data.js';
import { payStep } from './payment/pay.js';
import { planStep } from './payment/plan.js';
import { optionsStep } from './signup/options.js';

type UpgradeStep = 'options' | 'plan' | 'pay';

export const upgrade = defineCommand<UpgradeStep, PurchaseData>({
  node: NODES.upgrade,
  name: 'Upgrade or renew your account',
  chatWords: ['upgrade', 'renew'],
  // Offered where there is something to pay; runnable by anyone, who is then told where they stand.
  access: (_who, state) => (state.kind === 'trial' || state.kind === 'expired' ? 'listed' : 'allowed'),
  data: purchaseData,
  start: 'options',
  steps: {
    options: optionsStep({ self: 'options', plan: 'plan', pay: 'pay' }),
    plan: planStep({ self: 'plan', pay: 'pay' }),
    pay: payStep({ self: 'pay', back: 'options' }),
  },
});
