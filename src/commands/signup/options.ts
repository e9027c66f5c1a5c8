// The seeds' options step (SignupAndUpgradeFlow): reached by signup, by `upgrade`, or by a registered user,
// it offers what fits the requester's own account state, with words for each of the five states. A shared
// step: the host says which of its steps come after each choice.
import type { AccountState } from '../../domain/account-state.js';
import { type Catalogue, planName } from '../../domain/catalogue.js';
import { formatTel } from '../../domain/phone.js';
import { noAccountYet, paidWithoutNumber, registeredAndPaid, signupBlocked } from '../../domain/wording.js';
import type { FormView, Step } from '../contract.js';
import type { PurchaseData } from '../payment/data.js';
import { done } from '../views.js';
import { redeemTyped } from './code.js';
import { activationMethods } from './methods/index.js';
import type { ActivationMethod, MethodTargets } from './methods/method.js';

function offered(enabled: readonly string[], state: AccountState): ActivationMethod[] {
  return enabled.flatMap((id) => {
    const m = activationMethods[id];
    return m?.offers(state) ? [m] : [];
  });
}

/** What the step says above the choices, per state; undefined when the state has nothing to choose here. */
function heading(state: AccountState, data: PurchaseData, catalogue: Catalogue): { title: string; text: string } | undefined {
  switch (state.kind) {
    case 'new':
      return data.choice
        ? { title: 'How would you like to register?', text: `${formatTel(data.choice.tel)} is held for you while you choose.` }
        : undefined;
    case 'expired':
      return {
        title: 'Renew your account',
        text: `Your account with ${formatTel(state.tel)} expired on ${state.expiredOn}. Renew it to keep your number:`,
      };
    case 'trial':
      return {
        title: 'Upgrade your account',
        text: `You are on a ${planName(catalogue, state.plan).toLowerCase()} with ${formatTel(state.tel)}. Upgrade to a paid plan to keep your number after the trial:`,
      };
    default:
      return undefined;
  }
}

/** `complete` when every choice ends here (trial), `next` when one leads on (card), both when mixed. */
function actionsFor(methods: readonly ActivationMethod[]): Pick<FormView, 'actions' | 'defaultAction'> {
  const finishing = methods.filter((m) => m.finishes).length;
  if (finishing === methods.length) return { actions: ['complete'], defaultAction: 'complete' };
  return { actions: finishing ? ['next', 'complete'] : ['next'], defaultAction: 'next' };
}

export function optionsStep<S extends string>(to: MethodTargets<S> & { readonly self: S }): Step<S, PurchaseData> {
  return {
    leadsTo: [to.plan, to.pay, ...(to.choose ? [to.choose] : []), ...(to.code ? [to.code] : [])],
    async view(ctx, data) {
      const state = await ctx.deps.accountState(ctx.who.bare);
      switch (state.kind) {
        case 'active':
          return done(registeredAndPaid(state, ctx.deps.settings.catalogue));
        case 'pending':
          return done(signupBlocked(state) ?? '');
        case 'paid-unregistered':
          // State 2: paid or approved, no number yet; signup's confirm step assigns the chosen number directly.
          return done(paidWithoutNumber);
        case 'new':
          if (!data.choice) return done(noAccountYet);
      }
      const head = heading(state, data, ctx.deps.settings.catalogue);
      const methods = offered(ctx.deps.settings.activationMethods, state);
      if (!head) return done('There is nothing to choose here.');
      if (methods.length === 0) {
        return done(
          state.kind === 'new'
            ? 'Signup is closed right now. Please try again later.'
            : 'Payments are not available right now. Please try again later.',
          'warn',
        );
      }
      return {
        kind: 'form',
        form: {
          title: head.title,
          instructions: [head.text],
          fields: [
            {
              type: 'list-single',
              var: 'activation_method',
              label: state.kind === 'new' ? 'Registration' : 'Payment',
              required: true,
              options: methods.map((m) => ({ value: m.id, label: m.label })),
              // With codes on offer, a code may be typed here at once (chat: "or type your code").
              ...(methods.some((m) => m.id === 'code') ? { open: true, typed: 'your code' } : {}),
              // One is chosen already (Profanity shows the choices only then): one that leads on where there is one.
              value: (methods.find((m) => !m.finishes) ?? methods[0])?.id ?? '',
            },
          ],
        },
        ...actionsFor(methods),
      };
    },

    async submit(ctx, data, values) {
      const chosen = String(values.activation_method);
      const method = activationMethods[chosen];
      const state = await ctx.deps.accountState(ctx.who.bare);
      const codes = activationMethods.code;
      if (!method && to.code && codes?.offers(state) && ctx.deps.settings.activationMethods.includes(codes.id))
        return redeemTyped(ctx, data, chosen, { retry: to.code, choose: to.choose });
      if (!method || !ctx.deps.settings.activationMethods.includes(method.id) || !method.offers(state)) {
        return { to: to.self, data, notes: [{ type: 'error', text: 'That option is not available.' }] };
      }
      return method.activate(ctx, data, to);
    },
  };
}
