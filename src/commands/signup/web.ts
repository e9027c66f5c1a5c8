// Signup step 0, for a number the web site chose for this person (web-register): take it (the confirm step's
// own submit, so from here on it is the ordinary signup) or decline it (it is let go; the number list follows).
// Without a web choice (taken already, and "back" came here; or it lapsed) it is the number list itself.
import { numberLabel } from '../../domain/phone.js';
import { webChoiceOf } from '../../domain/account-state.js';
import { webHolder } from '../../domain/ports.js';
import type { Step, ViewCtx } from '../contract.js';
import type { PurchaseData } from '../payment/data.js';
import { chooseStep } from './choose.js';
import { confirmStep } from './confirm.js';

/** The number the site chose, as the inventory has it, while it is still held for this person. */
async function chosen(ctx: ViewCtx) {
  const web = webChoiceOf(await ctx.deps.accountState(ctx.who.bare));
  return web ? ctx.deps.numbers.info(web.tel, webHolder(ctx.who.bare)) : undefined;
}

export function webStep<S extends string>(to: {
  readonly self: S;
  readonly choose: S;
  readonly results: S;
  readonly confirm: S;
  readonly options: S;
}): Step<S, PurchaseData> {
  const confirm = confirmStep({ self: to.self, choose: to.choose, options: to.options });
  const list = chooseStep({ self: to.self, list: to.choose, results: to.results, confirm: to.confirm }, false);
  return {
    leadsTo: [to.choose, to.results, to.confirm, to.options],
    async view(ctx, data) {
      const n = await chosen(ctx);
      if (!n) return list.view(ctx, data);
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
            // What was shown: the site may choose another number for this address meanwhile.
            { type: 'hidden', var: 'web_tel', value: n.tel },
          ],
        },
        actions: ['next'],
        defaultAction: 'next',
      };
    },
    async submit(ctx, data, values) {
      const n = await chosen(ctx);
      if (!n) return 'confirm' in values || 'web_tel' in values ? { to: to.self, data } : list.submit(ctx, data, values);
      // The site chose another number since this one was shown: show the new one, take nothing. (A client that
      // does not echo the hidden field takes the number the site chose last: it is theirs either way.)
      if (typeof values.web_tel === 'string' && values.web_tel !== n.tel)
        return { to: to.self, data, notes: [{ type: 'info', text: 'The web site chose another number for you meanwhile:' }] };
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
