// Signup step 3 (the seeds' options step): how to register, from the configured activation methods.
import type { Step } from '../types.js';
import { done, signupBlocked } from './describe.js';
import { activationMethods } from './methods/index.js';
import type { ActivationMethod, SignupData } from './methods/types.js';
import { formatTel } from './phone.js';
import type { AccountState } from '../account-state.js';

function offered(enabled: readonly string[], state: AccountState): ActivationMethod[] {
  return enabled.flatMap((id) => {
    const m = activationMethods[id];
    return m && m.offers(state) ? [m] : [];
  });
}

export const options: Step = {
  async view(ctx, raw) {
    const data = raw as SignupData;
    const state = await ctx.deps.accountState(ctx.who.bare);
    const blocked = signupBlocked(state);
    if (blocked) return blocked;
    const methods = offered(ctx.deps.settings.activationMethods, state);
    if (methods.length === 0) {
      return done('Signup is closed right now. Please try again later.', 'warn');
    }
    const tel = data.choice ? formatTel(data.choice.tel) : 'your number';
    return {
      kind: 'form',
      form: {
        title: 'How would you like to register?',
        instructions: [`${tel} is held for you while you choose.`],
        fields: [
          {
            type: 'list-single',
            var: 'activation_method',
            label: 'Registration',
            required: true,
            options: methods.map((m) => ({ value: m.id, label: m.label })),
          },
        ],
      },
      actions: ['complete'],
      defaultAction: 'complete',
    };
  },

  async submit(ctx, raw, values) {
    const data = raw as SignupData;
    const method = activationMethods[String(values.activation_method)];
    const state = await ctx.deps.accountState(ctx.who.bare);
    if (!method || !ctx.deps.settings.activationMethods.includes(method.id) || !method.offers(state)) {
      return { to: 'options', data, notes: [{ type: 'error', text: 'That registration option is not available.' }] };
    }
    return method.activate(ctx, data);
  },
};
