// Signup step 2: show the number and its rate centre; on "yes" hold it for this session.
import { formatTel, numberLabel } from '../../domain/phone.js';
import { PaymentsUnreachable } from '../../domain/payments.js';
import { paymentSettling } from '../../domain/wording.js';
import type { CancelledSignup } from '../../domain/ports.js';
import type { Ctx, Step } from '../contract.js';
import type { PurchaseData } from '../payment/data.js';
import { done, handedOn } from '../views.js';
import { backToChoose, notAvailableAnyMore } from './numbers.js';

export function confirmStep<S extends string>(to: { readonly self: S; readonly choose: S; readonly options: S }): Step<S, PurchaseData> {
  return {
    leadsTo: [to.choose, to.options],
    async view(_ctx, data) {
      const choice = data.choice;
      if (!choice) return done('No number was chosen.', 'error');
      return {
        kind: 'form',
        form: {
          title: 'Confirm your number',
          // The number is in the question: Poezio shows no instructions, chat would say it twice.
          fields: [{ type: 'boolean', var: 'confirm', label: `Use ${numberLabel(choice)}?`, required: true }],
        },
        actions: ['next'],
        defaultAction: 'next',
      };
    },

    async submit(ctx, data, values) {
      const { deps, sessionId } = ctx;
      const choice = data.choice;
      if (!choice || values.confirm !== true)
        return { to: to.choose, data, notes: [{ type: 'info', text: 'Choose another number, then.' }] };
      // Both were read with the session (one round trip); most people have no card payment open.
      const [state, open] = await Promise.all([deps.accountState(ctx.who.bare), deps.payments?.openFor(ctx.who.bare)]);
      const hold = { tel: choice.tel, holder: sessionId, jid: ctx.who.bare, ttlSeconds: deps.settings.sessionTtlSeconds, at: deps.now() };
      const reserve = () => deps.numbers.reserve(hold);
      const gone = () => backToChoose(data, notAvailableAnyMore(choice.tel), to.choose);
      // The usual case: the hold is made as the options step is stored.
      if ((!data.reserved || data.reserved === choice.tel) && open?.purpose !== 'signup' && state.kind !== 'paid-unregistered') {
        return {
          claim: { kind: 'reserve', ...hold },
          holds: { to: to.options, data: { ...data, reserved: choice.tel } },
          refused: gone,
        };
      }
      if (data.reserved && data.reserved !== choice.tel) await deps.numbers.release(data.reserved, sessionId, ctx.who.bare);
      if (!(await reserve())) return gone();
      const next = { ...data, reserved: choice.tel };
      // One number at a time: a card payment still open for an earlier number is cancelled, and that number freed.
      const earlier = open?.purpose === 'signup' ? await cancelEarlier(ctx) : undefined;
      if (earlier && earlier.kind !== 'cancelled') {
        await deps.numbers.release(choice.tel, sessionId, ctx.who.bare);
        const { reserved: _held, ...rest } = next;
        return earlier.kind === 'settling'
          ? { done: done(paymentSettling(earlier.tel)) }
          : { to: to.self, data: rest, notes: [{ type: 'error', text: earlierUnreachable }] };
      }
      const replaced = earlier
        ? [
            {
              type: 'info' as const,
              text: `Your earlier card payment for ${formatTel(earlier.tel)} is cancelled, and that number is free again.`,
            },
          ]
        : [];
      // State 2 of the options step: already approved or paid, so sign up directly with this number.
      if (state.kind === 'paid-unregistered') {
        const r = await deps.accounts.assign(ctx.who.bare, choice.tel, sessionId, deps.now());
        if (r === 'ok') return handedOn(`You are registered: your number is ${numberLabel(choice)}.`);
        return backToChoose(next, notAvailableAnyMore(choice.tel), to.choose);
      }
      return { to: to.options, data: next, notes: replaced };
    },
  };
}

const earlierUnreachable =
  'Card payments cannot be reached right now, so your earlier card payment could not be cancelled. Please try again in a minute.';

/** Cancel this person's open signup payment: the number it freed, or why this signup must stop here. */
async function cancelEarlier(ctx: Ctx): Promise<Exclude<CancelledSignup, { kind: 'none' }> | { kind: 'unreachable' } | undefined> {
  try {
    const r = await ctx.deps.payments?.cancelOpenSignup(ctx.who.bare);
    return r?.kind === 'none' ? undefined : r;
  } catch (err) {
    if (err instanceof PaymentsUnreachable) return { kind: 'unreachable' };
    throw err;
  }
}
