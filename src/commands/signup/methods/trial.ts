// The free trial that waits for an admin's approval (SignupViaAccountBot: "approval wait").
import { formatTel } from '../../../domain/phone.js';
import { finish, handedOn } from '../../views.js';
import { backToChoose } from '../numbers.js';
import type { ActivationMethod } from './method.js';

export const trial: ActivationMethod = {
  id: 'trial',
  label: 'Free trial (our team approves it, usually within a day)',
  finishes: true,
  offers: (state) => state.kind === 'new',
  async activate(ctx, data, to) {
    const { deps, who } = ctx;
    const choice = data.choice;
    if (!choice) return to.choose ? { to: to.choose, data } : finish('No number was chosen.', 'error');
    const now = deps.now();
    const tel = formatTel(choice.tel);
    // The request is made as the end of this signup is stored (one round trip), with the admins' messages.
    return {
      claim: {
        kind: 'request-approval',
        signup: { jid: who.bare, tel: choice.tel, method: 'trial', at: now.toISOString() },
        holder: ctx.sessionId,
        at: now,
        tells: deps.settings.adminJids.map((admin) => ({
          to: admin,
          body: `New signup waiting for approval: ${who.bare} asks for ${tel} (${choice.rateCentre}, ${choice.region}). Reply "approvals" to decide.`,
          why: 'approval-request',
        })),
      },
      // The number is held for the approval now.
      holds: handedOn(`Thanks! Your request for ${tel} is waiting for approval. You will get a message here when it is approved.`),
      refused: (refusal) =>
        refusal === 'already-pending'
          ? finish('You already have a signup waiting for approval. You will get a message here when it is decided.')
          : backToChoose(data, `Sorry, ${tel} was just taken. Please choose another number.`, to.choose),
    };
  },
};
