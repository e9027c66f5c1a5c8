// Signup step 1: choose a number from a short list, type one, or search by area code or city.
import { formatTel, numberLabel, parseSearch, toE164 } from '../../domain/phone.js';
import { signupBlocked } from '../../domain/wording.js';
import type { Field } from '../../forms/types.js';
import type { Note, Step } from '../contract.js';
import type { PurchaseData } from '../payment/data.js';
import { done } from '../views.js';

export const LIST_SIZE = 5;

export function chooseStep<S extends string>(to: { readonly self: S; readonly confirm: S }): Step<S, PurchaseData> {
  return {
    leadsTo: [to.confirm],
    async view(ctx, data) {
      const { deps } = ctx;
      const search = data.query ? parseSearch(data.query) : undefined;
      // Both reads go out together (one round trip); views only read, so listing numbers we may not show is harmless.
      const [state, listed] = await Promise.all([
        deps.accountState(ctx.who.bare),
        deps.numbers.list(search ?? { by: 'tel', prefix: '+' }, LIST_SIZE, ctx.sessionId),
      ]);
      if (!data.query && !data.choice) {
        const blocked = signupBlocked(state);
        if (blocked) return done(blocked);
      }
      let numbers = listed;
      const notes: Note[] = [];
      if (search && numbers.length === 0) {
        notes.push({ type: 'warn', text: `No numbers are available for “${search.text}”. Here are others.` });
        numbers = await deps.numbers.list({ by: 'tel', prefix: '+' }, LIST_SIZE, ctx.sessionId);
      }
      if (numbers.length === 0) return done('Sorry, no numbers are available right now. Please try again later.', 'warn');
      const tel: Field = {
        type: 'list-single',
        var: 'tel',
        label: 'Phone number',
        required: true,
        open: true,
        options: numbers.map((n) => ({ value: n.tel, label: numberLabel(n) })),
        ...(data.choice && numbers.some((n) => n.tel === data.choice?.tel) ? { value: data.choice.tel } : {}),
      };
      const searchField: Field = { type: 'text-single', var: 'search', label: 'Or see numbers in another area code or city' };
      return {
        kind: 'form',
        form: {
          title: 'Choose your phone number',
          instructions: ['Pick a number, or type a number, or an area code or city to see others.'],
          fields: [tel, searchField],
        },
        actions: ['next'],
        defaultAction: 'next',
        notes,
      };
    },

    async submit(ctx, data, values) {
      const typed = typeof values.search === 'string' ? values.search : undefined;
      const picked = typeof values.tel === 'string' ? values.tel : undefined;
      const text = typed ?? picked ?? '';
      const tel = toE164(text);
      if (!tel || typed) {
        const search = parseSearch(text);
        if (!search) return { to: to.self, data, notes: [{ type: 'error', text: `“${text}” is not a phone number, area code or city.` }] };
        return { to: to.self, data: { ...data, query: search.text } };
      }
      const info = await ctx.deps.numbers.info(tel);
      if (!info)
        return { to: to.self, data, notes: [{ type: 'warn', text: `${formatTel(tel)} is not available. Please choose another number.` }] };
      return { to: to.confirm, data: { ...data, choice: { ...info } } };
    },
  };
}
