// Plain sentences about an account, shared by signup, status and number commands.
import type { AccountState } from '../account-state.js';
import type { DoneView } from '../types.js';
import type { Choice } from './methods/types.js';
import { formatTel } from './phone.js';

export function choiceLabel(c: Choice): string {
  const place = [c.rateCentre, c.region].filter(Boolean).join(', ');
  return place ? `${formatTel(c.tel)} (${place})` : formatTel(c.tel);
}

export function done(text: string): DoneView {
  return { kind: 'done', notes: [{ type: 'info', text }] };
}

/** Why signup does not start for this state, or undefined when it should. */
export function signupBlocked(state: AccountState): DoneView | undefined {
  switch (state.kind) {
    case 'active':
    case 'trial':
      return done(`You are already registered: your number is ${formatTel(state.tel)}. Send "status" for details.`);
    case 'expired':
      return done(`Your account with ${formatTel(state.tel)} expired on ${state.expiredOn}. Contact support to renew it.`);
    case 'pending':
      return done(`Your signup for ${formatTel(state.tel)} is waiting for approval. You will get a message here when it is decided.`);
    case 'new':
    case 'paid-unregistered':
      return undefined;
  }
}
