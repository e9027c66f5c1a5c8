// "Show my number": the requester's own number and where it is.
import { isRegistered } from './account-state.js';
import { registeredOnly } from './access.js';
import { done } from './signup/describe.js';
import { formatTel } from './signup/phone.js';
import type { Command } from './types.js';

export const myNumber: Command = {
  node: 'number',
  name: 'Show my number',
  chatWords: ['number'],
  access: registeredOnly,
  start: 'show',
  steps: {
    show: {
      async view(ctx) {
        const state = await ctx.deps.accountState(ctx.who.bare);
        if (!isRegistered(state)) return done('You have no number yet. Send "signup" to get one.');
        return done(`Your number is ${formatTel(state.tel)}.`);
      },
      submit: async () => ({ done: done('') }),
    },
  },
};
