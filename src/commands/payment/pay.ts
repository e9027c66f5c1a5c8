// The last step before a charge: a summary (number, plan, price) to confirm, then the payment link.
import { CHECKOUT_MINUTES, PaymentsUnreachable } from '../../payments/gateway.js';
import { backToChoose, done, notAvailableAnyMore } from '../signup/describe.js';
import { formatTel } from '../signup/phone.js';
import type { DoneView, Outcome, Step } from '../types.js';
import { purchaseFor, summaryLines, type PayData } from './purchase.js';

const NO_PAYMENTS = 'Card payments are not available right now. Please try again later.';

export const pay: Step = {
  async view(ctx, raw) {
    const data = raw as PayData;
    const { deps } = ctx;
    if (!deps.payments) return done(NO_PAYMENTS, 'warn');
    const p = purchaseFor(data, await deps.accountState(ctx.who.bare), deps.settings.catalogue);
    if ('refused' in p) return done(p.refused, 'warn');
    return {
      kind: 'form',
      form: {
        title: 'Confirm your payment',
        instructions: summaryLines(p, data, deps.settings.catalogue, deps.now()),
        fields: [{ type: 'boolean', var: 'confirm', label: 'Pay by card now?', required: true }],
      },
      actions: ['complete'],
      defaultAction: 'complete',
    };
  },

  async submit(ctx, raw, values): Promise<Outcome> {
    const data = raw as PayData;
    const { deps, who } = ctx;
    if (values.confirm !== true) {
      return { to: data.topUp !== undefined ? 'amount' : 'options', data, notes: [{ type: 'info', text: 'Nothing was charged.' }] };
    }
    if (!deps.payments) return { done: done(NO_PAYMENTS, 'warn') };
    const p = purchaseFor(data, await deps.accountState(who.bare), deps.settings.catalogue);
    if ('refused' in p) return { done: done(p.refused, 'warn') };
    let r;
    try {
      r = await deps.payments.checkout(who.bare, p, ctx.sessionId);
    } catch (err) {
      if (!(err instanceof PaymentsUnreachable)) throw err;
      const held = p.tel ? ` ${formatTel(p.tel)} stays held for you meanwhile.` : '';
      return { to: 'pay', data, notes: [{ type: 'error', text: `Card payments cannot be reached right now. Please try again in a minute.${held}` }] };
    }
    if (r === 'number-gone') return backToChoose(data, notAvailableAnyMore(p.tel));
    return { done: payLink(r.url, p.tel) };
  },
};

function payLink(url: string, tel: string): DoneView {
  const held = tel ? ` ${formatTel(tel)} is held for you for the next ${CHECKOUT_MINUTES} minutes.` : '';
  return {
    kind: 'done',
    notes: [{ type: 'info', text: `Pay by card here: ${url}\nYou will get a message here as soon as the payment is received.${held}` }],
    link: { url, description: 'Pay by card' },
  };
}
