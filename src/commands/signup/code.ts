// Signup's code step: the code someone was given. Redeeming it assigns the held number and writes what the code
// gives in one script, with the end of the signup (a claim). Wrong codes are counted per JID and limited per hour.
import { leafChargeBasis } from '../../domain/catalogue.js';
import { codeProblem, readCode } from '../../domain/codes.js';
import { monthEnd } from '../../domain/months.js';
import { formatTel, numberLabel } from '../../domain/phone.js';
import type { Ctx, Outcome, Settled, Step } from '../contract.js';
import type { PurchaseData } from '../payment/data.js';
import { payerName } from '../payer.js';
import { finish, handedOn } from '../views.js';
import { backToChoose } from './numbers.js';

/** One sentence for every code that cannot be used: nobody learns which codes exist, or why one does not work. */
export const CODE_NOT_VALID =
  'That code cannot be used: it may be mistyped, used up, revoked or expired. Please check it and type it again.';
export const TOO_MANY_CODES = 'Too many wrong codes: please wait an hour before trying another.';

export function codeStep<S extends string>(to: { readonly self: S; readonly choose: S }): Step<S, PurchaseData> {
  return {
    leadsTo: [to.choose],
    async view(_ctx, data) {
      const tel = data.choice ? ` for ${formatTel(data.choice.tel)}` : '';
      return {
        kind: 'form',
        form: {
          title: `Sign up with a code${tel}`,
          fields: [{ type: 'text-single', var: 'code', label: 'Your code (from the person who gave it to you)', required: true }],
        },
        actions: ['complete'],
        defaultAction: 'complete',
      };
    },
    async submit(ctx, data, values) {
      return redeemTyped(ctx, data, String(values.code ?? ''), { retry: to.self, choose: to.choose });
    },
  };
}

/** Sign up with what the person typed as a code; a code that cannot be used asks again at `retry`. */
export async function redeemTyped<S extends string>(
  ctx: Ctx,
  data: PurchaseData,
  typed: string,
  to: { readonly retry: S; readonly choose: S | undefined },
): Promise<Outcome<S, PurchaseData>> {
  const { deps, who } = ctx;
  const again = (text: string): Settled<S, PurchaseData> => ({ to: to.retry, data, notes: [{ type: 'error', text }] });
  const code = readCode(typed);
  const [tries, found] = await Promise.all([deps.codes.wrongTries(who.bare), code ? deps.codes.find(code) : undefined]);
  if (tries >= deps.settings.referral.codeTriesPerHour) return again(TOO_MANY_CODES);
  const now = deps.now();
  if (!code || !found || codeProblem(found, now) || found.creator === who.bare) {
    await deps.codes.countWrong(who.bare);
    return again(CODE_NOT_VALID);
  }
  const choice = data.choice;
  if (!choice || data.reserved !== choice.tel)
    return to.choose ? backToChoose(data, 'Choose your number first.', to.choose) : finish('Choose your number first.', 'warn');
  const main = found.kind === 'payer' ? found.creator : undefined;
  // What the new account is told of its payer: what the payer chose when making the code.
  const payer = main ? await payerName(ctx, { main, show: found.show }) : undefined;
  const registered = `You are registered: your number is ${numberLabel(choice)}.`;
  return {
    claim: {
      kind: 'redeem-code',
      redeem: {
        code,
        kind: found.kind,
        jid: who.bare,
        tel: choice.tel,
        holder: ctx.sessionId,
        at: now,
        trialPlans: deps.settings.trialPlans,
        ...(main
          ? {
              main,
              show: found.show,
              leafCharge: leafChargeBasis(deps.settings.catalogue, now),
              ...(found.list ? { list: found.list } : {}),
            }
          : {}),
      },
    },
    holds: handedOn(
      payer
        ? `${registered} Your account is paid for by ${payer}.`
        : `${registered} It is a free trial until ${monthEnd(now, 1)}, with no approval needed.`,
    ),
    refused: (why) =>
      why === 'number-gone'
        ? backToChoose(data, `Sorry, ${formatTel(choice.tel)} was just taken. Please choose another number.`, to.choose)
        : again(CODE_NOT_VALID),
  };
}
