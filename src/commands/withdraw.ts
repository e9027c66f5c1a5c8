// Withdraw a signup that waits for approval (node withdraw-signup; chat: withdraw, or cancel with nothing open).
// Atomic against an admin deciding at the same moment: whichever comes first is the one outcome.
import { NODES } from '../domain/nodes.js';
import { formatTel } from '../domain/phone.js';
import { defineCommand } from './contract.js';
import { type NoData, noData } from './no-data.js';
import { done, finish } from './views.js';

export const withdraw = defineCommand<'confirm', NoData>({
  node: NODES.withdraw,
  name: 'Withdraw my signup',
  chatWords: ['withdraw'],
  access: (_who, state) => (state.kind === 'pending' ? 'listed' : 'denied'),
  // In chat, "cancel" with nothing open means this, while a signup waits.
  opensOnCancel: (state) => state.kind === 'pending',
  data: noData,
  start: 'confirm',
  steps: {
    confirm: {
      leadsTo: [],
      async view(ctx) {
        const state = await ctx.deps.accountState(ctx.who.bare);
        if (state.kind !== 'pending') return done('You have no signup waiting for approval.');
        return {
          kind: 'form',
          form: {
            title: 'Withdraw your signup',
            fields: [{ type: 'boolean', var: 'withdraw', label: `Withdraw your signup for ${formatTel(state.tel)}?`, required: true }],
          },
          actions: ['complete'],
          defaultAction: 'complete',
        };
      },
      async submit(ctx, _data, values) {
        if (values.withdraw !== true) return finish('Your signup still waits for approval.');
        const tel = await ctx.deps.accounts.deny(ctx.who.bare);
        if (!tel) return finish('Your signup was already decided: you will get (or have had) a message saying how.');
        return finish(`Your signup for ${formatTel(tel)} is withdrawn, and the number is free again.`);
      },
    },
  },
});
