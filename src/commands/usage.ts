// Usage (node usage; chat `u` or `usage`, with dates: `u 20261101 20261130`): messages in and out and voice minutes
// of the number, per day and in total, as the SMS/voice gateway counted them (usage_day-NUMBER-YYYYMMDD). A main
// sees each leaf's too (picked from its own list, never typed); a leaf sees only its own.
import type { AccountState } from '../domain/account-state.js';
import { isRegistered } from '../domain/account-state.js';
import { NODES } from '../domain/nodes.js';
import { formatTel } from '../domain/phone.js';
import { readDay, totalLine, usageRange, usageTable } from '../domain/usage.js';
import { noNumberYet } from '../domain/wording.js';
import type { Field } from '../forms/types.js';
import { registeredOnly } from './access.js';
import { defineCommand, type ViewCtx } from './contract.js';
import { type NoData, noData } from './no-data.js';
import { done, finish } from './views.js';

const MINE = 'mine';
const HOW = 'Send u for the last 31 days, or u 20261101 20261130 for those days.';

/** The accounts whose usage this person may see: their own number, then (a main) each leaf with a number. */
async function accountsOf(ctx: ViewCtx, state: AccountState): Promise<{ jid: string; tel: string }[]> {
  if (!isRegistered(state)) return [];
  const list = state.kind === 'active' && !state.leafOf ? state.leafList : undefined;
  const leaves = list ? await ctx.deps.leaves.of(list) : [];
  return [{ jid: ctx.who.bare, tel: state.tel }, ...leaves.flatMap((l) => (l.tel ? [{ jid: l.jid, tel: l.tel }] : []))];
}

/** `u`, `u 20261101 20261130`, `u 2026-11-01` (to today), `u leaf@example.org …`: the form's answers. */
export function usageArgs(text: string): Readonly<Record<string, readonly string[]>> | { readonly error: string } {
  const out: Record<string, string[]> = {};
  const days: string[] = [];
  for (const token of text.split(/\s+/).filter(Boolean)) {
    const day = readDay(token);
    if (day) days.push(day);
    else if (token.includes('@') && !out.account) out.account = [token.toLowerCase()];
    else return { error: `I did not understand “${token}”. ${HOW}` };
  }
  if (days.length > 2) return { error: HOW };
  if (days[0]) out.start = [days[0]];
  if (days[1]) out.end = [days[1]];
  return out;
}

export const usage = defineCommand<'ask', NoData>({
  node: NODES.usage,
  name: 'Usage: messages and minutes',
  chatWords: ['usage', 'u'],
  access: registeredOnly,
  chatArgs: usageArgs,
  data: noData,
  start: 'ask',
  steps: {
    ask: {
      leadsTo: [],
      async view(ctx) {
        const state = await ctx.deps.accountState(ctx.who.bare);
        const accounts = await accountsOf(ctx, state);
        if (!accounts.length) return done(noNumberYet);
        const range = usageRange(ctx.deps.now(), {}, usageStartOf(state));
        const dates: Field[] =
          'error' in range
            ? []
            : [
                { type: 'text-single', var: 'start', label: 'From (YYYY-MM-DD)', value: range.from, validate: { datatype: 'xs:date' } },
                { type: 'text-single', var: 'end', label: 'To (YYYY-MM-DD)', value: range.to, validate: { datatype: 'xs:date' } },
              ];
        // Always asked (with one choice for most): another address is then "not one of the choices" for anyone.
        const whose: Field[] = [
          {
            type: 'list-single',
            var: 'account',
            label: 'Whose usage',
            value: MINE,
            options: accounts.map((a, i) => ({
              value: i === 0 ? MINE : a.jid,
              label: i === 0 ? `My number, ${formatTel(a.tel)}` : `${a.jid}, ${formatTel(a.tel)}`,
            })),
          },
        ];
        return {
          kind: 'form',
          form: { title: 'Usage: messages and voice minutes, per day', fields: [...whose, ...dates] },
          actions: ['complete'],
          defaultAction: 'complete',
        };
      },
      async submit(ctx, _data, values) {
        const state = await ctx.deps.accountState(ctx.who.bare);
        const accounts = await accountsOf(ctx, state);
        const own = accounts[0];
        if (!own) return finish(noNumberYet);
        const asked = typeof values.account === 'string' && values.account !== MINE ? values.account : undefined;
        const account = asked ? accounts.slice(1).find((a) => a.jid === asked) : own;
        // Chat can type any address: only the person's own leaves are theirs to see, and nothing says more.
        if (!account) return finish(`${asked} is not an account you pay for. ${HOW}`, 'error');
        const since = usageStartOf(account === own ? state : await ctx.deps.accountState(account.jid));
        const range = usageRange(
          ctx.deps.now(),
          {
            ...(typeof values.start === 'string' ? { from: values.start } : {}),
            ...(typeof values.end === 'string' ? { to: values.end } : {}),
          },
          since,
        );
        if ('error' in range) return finish(range.error, 'error');
        const table = usageTable(await ctx.deps.usage.days(account.tel, range.from, range.to));
        const whose = account === own ? formatTel(account.tel) : `${account.jid} (${formatTel(account.tel)})`;
        const notes = [
          // Short lines, one fact each: Poezio cuts a line at its column width.
          `Usage of ${whose} from ${range.from} to ${range.to}.`,
          totalLine(table.total),
          ...(range.note ? [range.note] : []),
          ...(table.rows.length ? [] : ['No messages or calls in those days.']),
        ];
        return {
          done: {
            kind: 'done',
            notes: notes.map((text) => ({ type: 'info' as const, text })),
            ...(table.rows.length ? { result: { title: 'Usage per day', fields: [], table } } : {}),
          },
        };
      },
    },
  },
});

/** When an account's number was first used (its usage_start_day), if it has one. */
function usageStartOf(state: AccountState): string | undefined {
  return isRegistered(state) ? state.since : undefined;
}
