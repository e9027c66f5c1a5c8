// Leaf accounts (node leaf-accounts; chat: accounts, lines): a main sees every account it pays for (JID, number,
// plan, paid through) and can stop paying for one, which is told. A leaf sees its payer, and can leave
// (node my-payer; chat: payer).
import { planName } from '../domain/catalogue.js';
import { paysForItself } from '../domain/codes.js';
import { NODES } from '../domain/nodes.js';
import { formatTel } from '../domain/phone.js';
import { Send, send, text } from '../domain/text.js';
import { defineCommand, type ViewCtx } from './contract.js';
import { type NoData, noData } from './no-data.js';
import { payerName } from './payer.js';
import { done, finish } from './views.js';

interface Leaf {
  readonly jid: string;
  readonly tel?: string;
  /** One line: `JID: +1 …, Monthly (US dollars), paid through 2026-12-31`. */
  readonly line: string;
}

async function leavesOf(ctx: ViewCtx): Promise<Leaf[] | undefined> {
  const state = await ctx.deps.accountState(ctx.who.bare);
  if (!paysForItself(state)) return undefined;
  const list = state.kind === 'active' ? state.leafList : undefined;
  const leaves = list ? await ctx.deps.leaves.of(list) : [];
  const states = await Promise.all(leaves.map((l) => ctx.deps.accountState(l.jid)));
  return leaves.map((l, i) => {
    const s = states[i];
    const plan = s?.kind === 'active' && s.plan ? `, ${planName(ctx.deps.settings.catalogue, s.plan)}` : '';
    const until = s?.kind === 'active' && s.paidThrough ? `, paid through ${s.paidThrough}` : s?.kind === 'expired' ? ', expired' : '';
    return { ...l, line: `${l.jid}: ${l.tel ? formatTel(l.tel) : 'no number'}${plan}${until}` };
  });
}

export const leafAccounts = defineCommand<'list', NoData>({
  node: NODES.leaves,
  name: 'Accounts I pay for',
  chatWords: ['accounts', 'lines'],
  access: (_who, state) => (paysForItself(state) ? 'listed' : 'allowed'),
  data: noData,
  start: 'list',
  steps: {
    list: {
      leadsTo: [],
      async view(ctx) {
        const leaves = await leavesOf(ctx);
        if (!leaves) return done('Only an account that pays for itself, from a prepaid balance, can pay for others.');
        if (leaves.length === 0)
          return done(text`You pay for no other accounts yet. ${Send(NODES.codes)} to make a code for someone you will pay for.`);
        return {
          kind: 'form',
          form: {
            title: 'Accounts you pay for',
            // Each choice is a whole line about the account (JID, number, plan, paid through): the list is the list.
            fields: [
              {
                type: 'list-single',
                var: 'remove',
                // Nothing is chosen: stopping cannot be undone here, so the label says what happens.
                label: 'Stop paying for (they keep the months already paid)',
                required: true,
                options: leaves.map((l) => ({ value: l.jid, label: l.line })),
              },
            ],
          },
          actions: ['complete'],
          defaultAction: 'complete',
        };
      },
      async submit(ctx, _data, values) {
        const leafJid = String(values.remove);
        const state = await ctx.deps.accountState(ctx.who.bare);
        const list = state.kind === 'active' ? state.leafList : undefined;
        if (!list || !(await ctx.deps.leaves.remove(ctx.who.bare, leafJid, list)))
          return finish('You do not pay for that account (any more).', 'warn');
        const leaf = await ctx.deps.accountState(leafJid);
        const until =
          leaf.kind === 'active' && leaf.paidThrough ? `It stays active through ${leaf.paidThrough}; after that` : 'From now on';
        await ctx.deps.notify(
          leafJid,
          `${await payerName(ctx, { main: ctx.who.bare, show: 'number' })} no longer pays for your account. ${until}, send "renew" to keep your number.`,
        );
        return finish(`You no longer pay for ${leafJid}. They were told, and keep the months already paid.`);
      },
    },
  },
});

export const myPayer = defineCommand<'show', NoData>({
  node: NODES.myPayer,
  name: 'Who pays for my account',
  chatWords: ['payer'],
  access: (_who, state) => ('leafOf' in state && state.leafOf ? 'listed' : 'allowed'),
  data: noData,
  start: 'show',
  steps: {
    show: {
      leadsTo: [],
      async view(ctx) {
        const state = await ctx.deps.accountState(ctx.who.bare);
        const leafOf = 'leafOf' in state ? state.leafOf : undefined;
        if (!leafOf) return done('You pay for your own account: nobody else pays for it.');
        return {
          kind: 'form',
          form: {
            title: 'Who pays for your account',
            fields: [
              {
                type: 'boolean',
                var: 'leave',
                // Who pays is in the question itself: chat and Poezio show a yes/no question without the title.
                label: `Your account is paid for by ${await payerName(ctx, leafOf)}. Stop being paid for by them? It then ends with the months already paid, unless you pay for it.`,
                required: true,
              },
            ],
          },
          actions: ['complete'],
          defaultAction: 'complete',
        };
      },
      async submit(ctx, _data, values) {
        if (values.leave !== true) return finish('Nothing changed: they still pay for your account.');
        const state = await ctx.deps.accountState(ctx.who.bare);
        const leafOf = 'leafOf' in state ? state.leafOf : undefined;
        const main = leafOf ? await ctx.deps.accountState(leafOf.main) : undefined;
        const list = main?.kind === 'active' ? main.leafList : undefined;
        if (!leafOf || !list || !(await ctx.deps.leaves.remove(leafOf.main, ctx.who.bare, list)))
          return finish('Nobody pays for your account any more.');
        const tel = 'tel' in state ? ` (${formatTel(state.tel)})` : '';
        await ctx.deps.notify(leafOf.main, `${ctx.who.bare}${tel} left: you no longer pay for that account.`);
        const until = state.kind === 'active' && state.paidThrough ? `through ${state.paidThrough}` : 'for the months already paid';
        return finish(
          text`Done: they no longer pay for your account. It stays active ${until}; after that, ${send(NODES.upgrade, 'renew')} to keep your number.`,
        );
      },
    },
  },
});
