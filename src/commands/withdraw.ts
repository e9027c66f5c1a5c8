// Withdraw a signup (node withdraw-signup; chat: withdraw, or cancel with nothing open): one waiting for approval,
// or one waiting for its card payment. Atomic against an admin deciding, or the payment completing, at the same
// moment: whichever comes first is the one outcome.
import { PaymentsUnreachable } from '../domain/payments.js';
import { formatTel } from '../domain/phone.js';
import { NODES } from '../domain/nodes.js';
import { paymentSettling } from '../domain/wording.js';
import { Send, text } from '../domain/text.js';
import { defineCommand } from './contract.js';
import { type NoData, noData } from './no-data.js';
import { done, finish } from './views.js';

const nothing = text`Nothing is open, so there is nothing to cancel. ${Send(NODES.help)} to see what you can do.`;

export const withdraw = defineCommand<'confirm', NoData>({
  node: NODES.withdraw,
  name: 'Withdraw my signup',
  chatWords: ['withdraw'],
  // Listed while waiting for approval; runnable by a newcomer, whose signup may wait for its card payment.
  access: (_who, state) => (state.kind === 'pending' ? 'listed' : state.kind === 'new' ? 'allowed' : 'denied'),
  // In chat, "cancel" with nothing open means this, while a signup waits (for approval or for a payment).
  opensOnCancel: (state) => state.kind === 'pending' || state.kind === 'new',
  data: noData,
  start: 'confirm',
  steps: {
    confirm: {
      leadsTo: [],
      async view(ctx) {
        const [state, open] = await Promise.all([ctx.deps.accountState(ctx.who.bare), ctx.deps.payments?.openFor(ctx.who.bare)]);
        const question =
          state.kind === 'pending'
            ? `Withdraw your signup for ${formatTel(state.tel)}?`
            : state.kind === 'new' && open?.purpose === 'signup'
              ? `Cancel your card payment for ${formatTel(open.tel)}? The number is then free for others.`
              : undefined;
        if (!question) return done(nothing);
        return {
          kind: 'form',
          form: {
            title: state.kind === 'pending' ? 'Withdraw your signup' : 'Cancel your card payment',
            fields: [{ type: 'boolean', var: 'withdraw', label: question, required: true }],
          },
          actions: ['complete'],
          defaultAction: 'complete',
        };
      },
      async submit(ctx, _data, values) {
        const state = await ctx.deps.accountState(ctx.who.bare);
        if (state.kind === 'pending') {
          if (values.withdraw !== true) return finish('Your signup still waits for approval.');
          const tel = await ctx.deps.accounts.deny(ctx.who.bare);
          if (!tel) return finish('Your signup was already decided: you will get (or have had) a message saying how.');
          return finish(`Your signup for ${formatTel(tel)} is withdrawn, and the number is free again.`);
        }
        if (values.withdraw !== true) return finish('Your card payment stays open.');
        try {
          const r = await ctx.deps.payments?.cancelOpenSignup(ctx.who.bare);
          if (r?.kind === 'cancelled')
            return finish(`Your card payment for ${formatTel(r.tel)} is cancelled, and the number is free again.`);
          if (r?.kind === 'settling') return finish(paymentSettling(r.tel));
          return finish(nothing);
        } catch (err) {
          if (!(err instanceof PaymentsUnreachable)) throw err;
          return finish(
            'Card payments cannot be reached right now, so your card payment could not be cancelled. Please try again in a minute.',
            'warn',
          );
        }
      },
    },
  },
});
