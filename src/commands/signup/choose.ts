// Signup: choose a number from a short list (a page at a time), type one, or search by area code or city. The
// same step serves the whole list (`choose`) and a search's results (`results`): back from the results is the
// whole list again.
import { formatTel, numberLabel, parseSearch, toE164 } from '../../domain/phone.js';
import { join } from '../../domain/text.js';
import { openPaymentText, signupBlocked } from '../../domain/wording.js';
import type { Field, Option } from '../../forms/types.js';
import type { Step } from '../contract.js';
import type { PurchaseData } from '../payment/data.js';
import { done } from '../views.js';

export const LIST_SIZE = 5;
/** The choice that shows page N (`more:N`), or page N of the whole list (`all:N`): values no number or search has. */
const MORE = /^(more|all):(\d{1,4})$/;

const ALL = { by: 'tel', prefix: '+' } as const;

export interface ChooseTargets<S extends string> {
  readonly self: S;
  /** The whole list (where the results fall back to when they are gone). */
  readonly list: S;
  /** Where a search shows its results. */
  readonly results: S;
  readonly confirm: S;
}

/** `searching`: this is the results step (it lists what `data.query` finds); otherwise the whole list. */
export function chooseStep<S extends string>(to: ChooseTargets<S>, searching: boolean): Step<S, PurchaseData> {
  return {
    leadsTo: [to.list, to.results, to.confirm],
    async view(ctx, data) {
      const { deps } = ctx;
      const search = searching && data.query ? parseSearch(data.query) : undefined;
      const page = (searching ? data.resultsPage : data.page) ?? 0;
      // Both reads go out together (one round trip); views only read, so listing numbers we may not show is harmless.
      // One more than a page is asked for, to know whether to offer "more".
      const [state, listed, open] = await Promise.all([
        deps.accountState(ctx.who.bare),
        deps.numbers.list(search ?? ALL, LIST_SIZE + 1, ctx.sessionId, page * LIST_SIZE),
        deps.payments?.openFor(ctx.who.bare),
      ]);
      if (!searching && !data.query && !data.choice) {
        const blocked = signupBlocked(state);
        if (blocked) return done(blocked);
      }
      // Numbers taken since this page or search was offered: the whole list from its start, and "more" pages on from there.
      const fallBack = listed.length === 0 && (page > 0 || search !== undefined);
      const numbers = fallBack ? await deps.numbers.list(ALL, LIST_SIZE + 1, ctx.sessionId) : listed;
      if (numbers.length === 0) return done('Sorry, no numbers are available right now. Please try again later.', 'warn');
      const shown = numbers.slice(0, LIST_SIZE);
      const options: Option[] = shown.map((n) => ({ value: n.tel, label: numberLabel(n) }));
      const next = fallBack ? (searching ? 'all:1' : 'more:1') : `more:${page + 1}`;
      if (numbers.length > LIST_SIZE) options.push({ value: next, label: 'More numbers' });
      const chosen = data.choice && shown.some((n) => n.tel === data.choice?.tel) ? data.choice.tel : shown[0]?.tel;
      const tel: Field = {
        type: 'list-single',
        var: 'tel',
        label: 'Phone number',
        open: true,
        options,
        // A number is chosen already (clients such as Profanity show the choices only then): choosing is harmless.
        ...(chosen ? { value: chosen } : {}),
      };
      const searchField: Field = { type: 'text-single', var: 'search', label: 'Or search: area code or city' };
      return {
        kind: 'form',
        form: {
          title: search && !fallBack ? `Numbers for “${search.text}”` : 'Choose your phone number',
          instructions: ['Pick a number, or type a number, an area code or a city.'],
          fields: [tel, searchField],
        },
        actions: ['next'],
        defaultAction: 'next',
        // A signup already waiting for its payment: its link again, above the list (choosing another cancels it).
        ...(open?.purpose === 'signup'
          ? {
              notes: [
                {
                  type: 'info' as const,
                  text: join([openPaymentText(open), 'Or choose another number below (that payment is then cancelled):']),
                },
              ],
            }
          : {}),
      };
    },

    async submit(ctx, data, values) {
      const typed = typeof values.search === 'string' ? values.search : undefined;
      const picked = typeof values.tel === 'string' ? values.tel : undefined;
      const more = typed ? undefined : MORE.exec(picked ?? '');
      if (more) {
        const n = Number(more[2]);
        if (more[1] === 'all') return { to: to.list, data: { ...data, page: n } };
        return { to: to.self, data: searching ? { ...data, resultsPage: n } : { ...data, page: n } };
      }
      const text = typed ?? picked;
      if (!text) return { to: to.self, data, notes: [{ type: 'error', text: 'Choose a number, or type an area code or city.' }] };
      const tel = toE164(text);
      if (!tel || typed) {
        const search = parseSearch(text);
        if (!search) return { to: to.self, data, notes: [{ type: 'error', text: `“${text}” is not a phone number, area code or city.` }] };
        const found = await ctx.deps.numbers.list(search, 1, ctx.sessionId);
        if (found.length === 0)
          return { to: to.self, data, notes: [{ type: 'warn', text: `No numbers are available for “${search.text}”.` }] };
        return { to: to.results, data: { ...data, query: search.text, resultsPage: 0 } };
      }
      const gone = {
        to: to.self,
        data,
        notes: [{ type: 'warn' as const, text: `${formatTel(tel)} is not available. Please choose another number.` }],
      };
      // A number whose place is known (it was listed): whether it is still free is checked as the step is stored.
      const known = ctx.deps.numbers.known(tel);
      if (known)
        return {
          claim: { kind: 'number-free', tel, holder: ctx.sessionId },
          holds: { to: to.confirm, data: { ...data, choice: { ...known } } },
          refused: () => gone,
        };
      const info = await ctx.deps.numbers.info(tel, ctx.sessionId);
      if (!info) return gone;
      return { to: to.confirm, data: { ...data, choice: { ...info } } };
    },
  };
}
