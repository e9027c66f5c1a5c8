// Add to the prepaid balance (node `top-up`): an amount from the catalogue, a summary, then a payment link.
import { formatMoney, moneyValue } from '../domain/catalogue.js';
import { NODES } from '../domain/nodes.js';
import { currencyFor } from '../domain/purchase.js';
import { cardPaymentsUnavailable } from '../domain/wording.js';
import { defineCommand } from './contract.js';
import { type PurchaseData, purchaseData } from './payment/data.js';
import { payStep } from './payment/pay.js';
import { done } from './views.js';

type TopUpStep = 'amount' | 'pay';

export const topUp = defineCommand<TopUpStep, PurchaseData>({
  node: NODES.topUp,
  name: 'Add to your prepaid balance',
  chatWords: ['top-up', 'topup'],
  // An expired account that was paying may top up too: the balance renews it.
  access: (_who, state) =>
    (state.kind === 'active' && !state.leafOf) || (state.kind === 'expired' && state.lastPlan && !state.leafOf) ? 'listed' : 'denied',
  data: purchaseData,
  start: 'amount',
  steps: {
    amount: {
      leadsTo: ['pay'],
      async view(ctx) {
        const { deps, who } = ctx;
        if (!deps.payments) return done(cardPaymentsUnavailable, 'warn');
        const [state, balance] = await Promise.all([deps.accountState(who.bare), deps.payments.balance(who.bare)]);
        const currency = currencyFor(state, deps.settings.catalogue);
        const amounts = currency ? (deps.settings.catalogue.topUp[currency] ?? []) : [];
        if (!currency || amounts.length === 0) return done('Top-ups are not offered right now.', 'warn');
        return {
          kind: 'form',
          form: {
            title: 'Add to your prepaid balance',
            instructions: [`Your prepaid balance is ${formatMoney(balance, currency)}.`],
            fields: [
              {
                type: 'list-single',
                var: 'amount',
                label: `Amount (${currency.toUpperCase()})`,
                required: true,
                // Values are amounts as people write them ("10.00", which Profanity shows), never minor units.
                options: amounts.map((a) => ({ value: moneyValue(a, currency), label: formatMoney(a, currency) })),
                // One is chosen already (Profanity shows the choices only then): choosing charges nothing yet.
                value: moneyValue(amounts[0] ?? 0, currency),
              },
            ],
          },
          actions: ['next'],
          defaultAction: 'next',
        };
      },
      async submit(ctx, data, values) {
        const state = await ctx.deps.accountState(ctx.who.bare);
        const currency = currencyFor(state, ctx.deps.settings.catalogue);
        const amount = currency
          ? ctx.deps.settings.catalogue.topUp[currency]?.find((a) => moneyValue(a, currency) === values.amount)
          : undefined;
        if (amount === undefined) {
          return { to: 'amount', data, notes: [{ type: 'error', text: 'Please choose one of the amounts offered.' }] };
        }
        return { to: 'pay', data: { ...data, topUp: amount } };
      },
    },
    pay: payStep({ self: 'pay', back: 'amount' }),
  },
});
