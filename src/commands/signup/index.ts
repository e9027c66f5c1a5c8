// Signup (node jabber:iq:register, as Cheogram and Slidge use): choose → confirm → options.
import type { Command } from '../types.js';
import { choose } from './choose.js';
import { confirm } from './confirm.js';
import type { SignupData } from './methods/types.js';
import { options } from './options.js';

export const signup: Command = {
  node: 'jabber:iq:register',
  name: 'Sign up for a phone number',
  chatWords: ['signup', 'register'],
  access: (_who, state) => (state.kind === 'new' || state.kind === 'paid-unregistered' ? 'listed' : 'allowed'),
  start: 'choose',
  steps: { choose, confirm, options },
  async release(ctx, raw) {
    const data = raw as SignupData;
    if (data.reserved) await ctx.deps.numbers.release(data.reserved, ctx.sessionId);
  },
};
