// The last step before a charge: a summary (number, plan, price) to confirm, then the payment link. A shared
// step: the host says where "no" goes back to, and where a lost number sends the person (signup's list).
import { CHECKOUT_MINUTES, PaymentsUnreachable } from '../../domain/payments.js';
import { formatTel } from '../../domain/phone.js';
import { formatMoney } from '../../domain/catalogue.js';
import { purchaseFor, summaryLines } from '../../domain/purchase.js';
import { cardPaymentsUnavailable } from '../../domain/wording.js';
import type { Field } from '../../forms/types.js';
import type { DoneView, Step } from '../contract.js';
import { backToChoose, notAvailableAnyMore } from '../signup/numbers.js';
import { done, finish } from '../views.js';
import type { PurchaseData } from './data.js';

export interface PayTargets<S extends string> {
  readonly self: S;
  /** Where "no, do not pay" goes: the choices before the summary. */
  readonly back: S;
  /** Where a signup whose number was lost goes: the list of numbers. */
  readonly choose?: S;
}

export function payStep<S extends string>(to: PayTargets<S>): Step<S, PurchaseData> {
  return {
    leadsTo: [to.back, ...(to.choose ? [to.choose] : [])],
    async view(ctx, data) {
      const { deps } = ctx;
      if (!deps.payments) return done(cardPaymentsUnavailable, 'warn');
      const state = await deps.accountState(ctx.who.bare);
      const p = purchaseFor(data, state, deps.settings.catalogue, deps.now());
      if ('refused' in p) return done(p.refused, 'warn');
      // The summary is in fixed fields and the price in the question: clients show fields when they show
      // nothing else (Poezio no instructions, Profanity only the first line).
      const summary = summaryLines(p, data, deps.settings.catalogue, deps.now(), state);
      return {
        kind: 'form',
        form: {
          title: 'Confirm your payment',
          fields: [
            // Each has its own var: Poezio and slixmpp keep fields by var, and would show only the last one.
            ...summary.map((line, i): Field => ({ type: 'fixed', var: `summary_${i + 1}`, value: line })),
            { type: 'boolean', var: 'confirm', label: `Pay ${formatMoney(p.amount, p.currency)} by card now?`, required: true },
          ],
        },
        actions: ['complete'],
        defaultAction: 'complete',
      };
    },

    async submit(ctx, data, values) {
      const { deps, who } = ctx;
      if (values.confirm !== true) return { to: to.back, data, notes: [{ type: 'info', text: 'Nothing was charged.' }] };
      if (!deps.payments) return finish(cardPaymentsUnavailable, 'warn');
      const p = purchaseFor(data, await deps.accountState(who.bare), deps.settings.catalogue, deps.now());
      if ('refused' in p) return finish(p.refused, 'warn');
      let r: Awaited<ReturnType<typeof deps.payments.checkout>>;
      try {
        r = await deps.payments.checkout(who.bare, p, ctx.sessionId);
      } catch (err) {
        if (!(err instanceof PaymentsUnreachable)) throw err;
        // Refused (a revoked key…): nothing the person can do; the operator has it in the log.
        if (err.refused) return finish(cardPaymentsUnavailable, 'warn');
        const held = p.tel ? ` ${formatTel(p.tel)} stays held for you meanwhile.` : '';
        return {
          to: to.self,
          data,
          notes: [{ type: 'error', text: `Card payments cannot be reached right now. Please try again in a minute.${held}` }],
        };
      }
      if (r === 'number-gone') return backToChoose(data, notAvailableAnyMore(p.tel), to.choose);
      if (r === 'processing')
        return finish('Your payment for this is already being processed. You will get a message here as soon as it clears.');
      // The number (a signup's) is held by the payment now.
      return { done: payLink(r.url, p.tel), handedOn: true };
    },
  };
}

function payLink(url: string, tel: string): DoneView {
  const held = tel ? ` ${formatTel(tel)} is held for you for the next ${CHECKOUT_MINUTES} minutes.` : '';
  return {
    kind: 'done',
    notes: [{ type: 'info', text: `Pay by card here: ${url}\nYou will get a message here as soon as the payment is received.${held}` }],
    link: { url, description: 'Pay by card' },
  };
}
