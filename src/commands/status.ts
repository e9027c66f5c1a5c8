// "Account status": plan and since when, for the requester's own account only.
import { formatMoney } from '../domain/catalogue.js';
import { NODES } from '../domain/nodes.js';
import { currencyFor } from '../domain/purchase.js';
import { join, Send, text } from '../domain/text.js';
import { describeStatus, openPaymentText } from '../domain/wording.js';
import { registeredOnly } from './access.js';
import { defineCommand } from './contract.js';
import { payerName } from './payer.js';
import { type NoData, noData } from './no-data.js';
import { done } from './views.js';

export const status = defineCommand<'show', NoData>({
  node: NODES.status,
  name: 'Account status',
  chatWords: ['status'],
  access: registeredOnly,
  data: noData,
  start: 'show',
  steps: {
    show: {
      leadsTo: [],
      async view(ctx) {
        const { deps, who } = ctx;
        const [state, balance, open] = await Promise.all([
          deps.accountState(who.bare),
          deps.payments?.balance(who.bare),
          deps.payments?.openFor(who.bare),
        ]);
        const currency = currencyFor(state, deps.settings.catalogue);
        const leafOf = 'leafOf' in state ? state.leafOf : undefined;
        // A leaf is told who pays for it, as the payer chose to be shown; never the payer's balance.
        const offer = state.kind === 'trial' ? state.offer : undefined;
        const [payer, offerer] = await Promise.all([
          leafOf ? payerName(ctx, leafOf) : undefined,
          offer ? payerName(ctx, offer) : undefined,
        ]);
        // Only the requester's own balance, and only once there is one.
        return done(
          join([
            describeStatus(state, deps.settings.catalogue),
            ...(payer ? [`Your account is paid for by ${payer}.`] : []),
            ...(offerer ? [text`${offerer} offers to pay for your account. ${Send(NODES.acceptPayer)} to accept or decline.`] : []),
            ...(balance && currency ? [`Prepaid balance: ${formatMoney(balance, currency)}.`] : []),
            ...(open ? [openPaymentText(open)] : []),
          ]),
        );
      },
      submit: async () => ({ done: done('') }),
    },
  },
});
