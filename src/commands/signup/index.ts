// Signup (node jabber:iq:register, as Cheogram and Slidge use): choose → confirm → options, then for card
// payment plan → pay (the link).
import type { Command } from '../types.js';
import { choose } from './choose.js';
import { confirm } from './confirm.js';
import type { SignupData } from './methods/types.js';
import { options } from './options.js';
import { pay } from '../payment/pay.js';
import { plan } from '../payment/plan.js';

export const signup: Command = {
  node: 'jabber:iq:register',
  name: 'Sign up for a phone number',
  chatWords: ['signup', 'register'],
  access: (_who, state) => (state.kind === 'new' || state.kind === 'paid-unregistered' ? 'listed' : 'allowed'),
  start: 'choose',
  steps: { choose, confirm, options, plan, pay },
  async release(ctx, raw) {
    const data = raw as SignupData;
    if (data.reserved) await ctx.deps.numbers.release(data.reserved, ctx.sessionId);
  },
};
