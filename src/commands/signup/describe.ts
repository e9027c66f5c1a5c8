// Plain sentences about an account, shared by signup, status and number commands.
import type { AccountState } from '../account-state.js';
import type { DoneView, Note, Outcome } from '../types.js';
import type { Choice, SignupData } from './methods/types.js';
import { formatTel } from './phone.js';

export function choiceLabel(c: Choice): string {
  const place = [c.rateCentre, c.region].filter(Boolean).join(', ');
  return place ? `${formatTel(c.tel)} (${place})` : formatTel(c.tel);
}

export function done(text: string, type: Note['type'] = 'info'): DoneView {
  return { kind: 'done', notes: [{ type, text }] };
}

/** The held or chosen number is gone: back to the list, holding nothing, with a word why. */
export function backToChoose(data: SignupData, text: string): Outcome {
  const { reserved: _held, choice: _chosen, ...rest } = data;
  return { to: 'choose', data: rest, notes: [{ type: 'warn', text }] };
}

export const notAvailableAnyMore = (tel: string) => `Sorry, ${formatTel(tel)} is not available any more. Please choose another number.`;

/** Why signup does not start for this state, or undefined when it should. */
export function signupBlocked(state: AccountState): DoneView | undefined {
  switch (state.kind) {
    case 'active':
      return done(`You are already registered: your number is ${formatTel(state.tel)}. Send "status" for details.`);
    case 'trial':
      return done(`You are already registered: your number is ${formatTel(state.tel)}, on a free trial. Send "upgrade" to keep it after the trial.`);
    case 'expired':
      return done(`Your account with ${formatTel(state.tel)} expired on ${state.expiredOn}. Send "renew" to renew it.`);
    case 'pending':
      return done(`Your signup for ${formatTel(state.tel)} is waiting for approval. You will get a message here when it is decided.`);
    case 'new':
    case 'paid-unregistered':
      return undefined;
  }
}
