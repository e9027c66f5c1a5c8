// Pay by card through Stripe Checkout (activation_method `credit_card`): a plan, a summary, then a link.
import { toPlanChoice } from '../../payment/plan.js';
import type { ActivationMethod } from './method.js';

export const creditCard: ActivationMethod = {
  id: 'credit_card',
  label: 'Pay by card',
  finishes: false,
  // New (signup), expired (renew) and trial (upgrade) accounts; never a period already paid.
  offers: (state) => state.kind === 'new' || state.kind === 'expired' || state.kind === 'trial',
  async activate(ctx, data, to) {
    return toPlanChoice(data, ctx.deps.settings.catalogue.paid, to);
  },
};
