// Signup step 2: show the number and its rate centre; on "yes" hold it for this session.
import type { Step } from '../types.js';
import { backToChoose, choiceLabel, done, notAvailableAnyMore } from './describe.js';
import type { SignupData } from './methods/types.js';
import { formatTel } from './phone.js';

export const confirm: Step = {
  async view(_ctx, raw) {
    const data = raw as SignupData;
    const choice = data.choice;
    if (!choice) return done('No number was chosen.', 'error');
    const place = [choice.rateCentre, choice.region].filter(Boolean).join(', ');
    return {
      kind: 'form',
      form: {
        title: 'Confirm your number',
        instructions: [`${formatTel(choice.tel)}${place ? ` in ${place}` : ''}.`],
        fields: [{ type: 'boolean', var: 'confirm', label: 'Use this number?', required: true }],
      },
      actions: ['next'],
      defaultAction: 'next',
    };
  },

  async submit(ctx, raw, values) {
    const data = raw as SignupData;
    const { deps, sessionId } = ctx;
    const choice = data.choice;
    if (!choice || values.confirm !== true) {
      return { to: 'choose', data, notes: [{ type: 'info', text: 'Choose another number, then.' }] };
    }
    if (data.reserved && data.reserved !== choice.tel) await deps.numbers.release(data.reserved, sessionId);
    const held = await deps.numbers.reserve(choice.tel, sessionId, deps.settings.sessionTtlSeconds);
    if (!held) return backToChoose(data, notAvailableAnyMore(choice.tel));
    const next = { ...data, reserved: choice.tel };
    const state = await deps.accountState(ctx.who.bare);
    // State 2 of the options step: already approved or paid, so sign up directly with this number.
    if (state.kind === 'paid-unregistered') {
      const r = await deps.accounts.assign(ctx.who.bare, choice.tel, sessionId, deps.now());
      if (r === 'ok') return { done: done(`You are registered: your number is ${choiceLabel(choice)}.`) };
      return backToChoose(next, notAvailableAnyMore(choice.tel));
    }
    return { to: 'options', data: next };
  },
};
