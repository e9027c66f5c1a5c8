// Sign up with a referral code (activation_method `code`): a payer code makes the account a leaf paid by the code's
// creator, an invite or admin code gives the free trial without the approval queue. The code is asked next.
import { finish } from '../../views.js';
import type { ActivationMethod } from './method.js';

export const code: ActivationMethod = {
  id: 'code',
  label: 'I have a code',
  finishes: false,
  offers: (state) => state.kind === 'new',
  async activate(_ctx, data, to) {
    return to.code ? { to: to.code, data } : finish('A code is for signing up.', 'warn');
  },
};
