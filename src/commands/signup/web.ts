// Signup step 0, for a number the web site chose for this person (web-register): take it (the confirm step's
// own submit, so from here on it is the ordinary signup) or decline it (it is let go; the number list follows).
import { numberLabel } from '../../domain/phone.js';
import { webChoiceOf } from '../../domain/account-state.js';
import { webHolder } from '../../domain/ports.js';
import type { Step, ViewCtx } from '../contract.js';
import type { PurchaseData } from '../payment/data.js';
import { done } from '../views.js';
import { confirmStep } from './confirm.js';

const gone = 'The number the web site chose for you is no longer held for you. Send "signup" to choose one.';

/** The number the site chose, as the inventory has it, while it is still held for this person. */
async function chosen(ctx: ViewCtx) {
  const web = webChoiceOf(await ctx.deps.accountState(ctx.who.bare));
  return web ? ctx.deps.numbers.info(web.tel, webHolder(ctx.who.bare)) : undefined;
}

export function webStep<S extends string>(to: { readonly self: S; readonly choose: S; readonly options: S }): Step<S, PurchaseData> {
  const confirm = confirmStep({ self: to.self, choose: to.choose, options: to.options });
  return {
    leadsTo: [to.choose, to.options],
    async view(ctx) {
      const n = await chosen(ctx);
      if (!n) return done(gone, 'warn');
      return {
        kind: 'form',
        form: {
          title: 'The number chosen on the web site',
          fields: [
            {
              type: 'boolean',
              var: 'confirm',
              label: `${numberLabel(n)} was chosen for you on the web site. Make it your number?`,
              required: true,
            },
          ],
        },
        actions: ['next'],
        defaultAction: 'next',
      };
    },
    async submit(ctx, data, values) {
      const n = await chosen(ctx);
      if (!n) return { done: done(gone, 'warn') };
      if (values.confirm === true) return confirm.submit(ctx, { ...data, choice: n }, values);
      await ctx.deps.web.decline(ctx.who.bare, n.tel);
      return {
        to: to.choose,
        data,
        notes: [{ type: 'info', text: `${numberLabel(n)} is let go. Choose another number, or send cancel.` }],
      };
    },
  };
}
