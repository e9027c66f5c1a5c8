// Leaf accounts (node leaf-accounts; chat: accounts, lines): a main sees every account it pays for (JID, number,
// plan, paid through) and can stop paying for one, which is told. A leaf sees its payer, and can leave
// (node my-payer; chat: payer).
import { z } from 'zod';
import { planName } from '../domain/catalogue.js';
import { paysForItself } from '../domain/codes.js';
import { NODES } from '../domain/nodes.js';
import { formatTel } from '../domain/phone.js';
import { send, text } from '../domain/text.js';
import type { Field } from '../forms/types.js';
import { type DataSpec, defineCommand, type ViewCtx } from './contract.js';
import { type NoData, noData } from './no-data.js';
import { payerName, showField } from './payer.js';
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

const leafData = z.object({ leaf: z.string().optional() });
type LeafData = z.infer<typeof leafData>;
const data: DataSpec<LeafData> = { version: 1, schema: leafData, initial: {} };

const JID = /^[^@/\s]+@[^@/\s]+$/;
/** The one answer to an offer, whatever the address is: nobody learns from it whether a JID has an account. */
export const OFFER_SENT =
  'If that address has a trial account here, they have been asked to accept. You will get a message when they answer.';

export const leafAccounts = defineCommand<'list' | 'add' | 'remove', LeafData>({
  node: NODES.leaves,
  name: 'Accounts I pay for',
  chatWords: ['accounts', 'lines'],
  access: (_who, state) => (paysForItself(state) ? 'listed' : 'allowed'),
  data,
  start: 'list',
  steps: {
    list: {
      leadsTo: ['add', 'remove'],
      async view(ctx) {
        const [leaves, offers] = await Promise.all([leavesOf(ctx), ctx.deps.leaves.offersOf(ctx.who.bare, ctx.deps.now())]);
        if (!leaves) return done('Only an account that pays for itself, from a prepaid balance, can pay for others.');
        const waiting: Field[] = offers.map((o, i) => ({
          type: 'fixed',
          var: `offer_${i}`,
          value: `Offered to pay for ${o.jid} on ${new Date(o.at).toISOString().slice(0, 10)}: waiting for their answer.`,
        }));
        return {
          kind: 'form',
          form: {
            title: leaves.length ? 'Accounts you pay for' : 'You pay for no other accounts yet',
            // Each account is a whole line (JID, number, plan, paid through): the choices are the list.
            fields: [
              {
                type: 'list-single',
                var: 'do',
                label: 'What would you like to do?',
                required: true,
                options: [
                  { value: 'add', label: 'Pay for an existing trial account (they must accept)' },
                  ...leaves.map((l) => ({ value: `remove:${l.jid}`, label: `Stop paying for ${l.line}` })),
                ],
                value: 'add',
              },
              ...waiting,
            ],
          },
          actions: ['next'],
          defaultAction: 'next',
        };
      },
      async submit(_ctx, data, values) {
        const choice = String(values.do);
        if (choice.startsWith('remove:')) return { to: 'remove', data: { ...data, leaf: choice.slice('remove:'.length) } };
        return { to: 'add', data };
      },
    },

    add: {
      leadsTo: [],
      async view() {
        return {
          kind: 'form',
          form: {
            title: 'Pay for an existing trial account',
            fields: [{ type: 'jid-single', var: 'jid', label: 'Their address (JID)', required: true }, showField],
          },
          actions: ['complete'],
          defaultAction: 'complete',
        };
      },
      async submit(ctx, data, values) {
        const jid = String(values.jid ?? '')
          .trim()
          .toLowerCase();
        if (!JID.test(jid))
          return { to: 'add', data, notes: [{ type: 'error', text: `“${jid}” is not an address like name@example.org.` }] };
        if (jid === ctx.who.bare) return finish('That is your own address.', 'warn');
        const show = values.show === 'jid' ? 'jid' : 'number';
        const [them, payer] = await Promise.all([ctx.deps.accountState(jid), payerName(ctx, { main: ctx.who.bare, show })]);
        // Only a trial account hears of it (through the outbox, queued with the offer); the offer is kept, and the
        // same script run, either way, so neither what the main is told nor when says what that address is.
        const body = `${payer} offers to pay for your account here: your trial would end, they would pay from this month on, and you keep your number. Reply yes to accept, or no to decline.`;
        await ctx.deps.leaves.offer(
          ctx.who.bare,
          jid,
          show,
          ctx.deps.now(),
          them.kind === 'trial' ? [{ to: jid, body, why: 'payer-offer' }] : [],
        );
        return finish(OFFER_SENT);
      },
    },

    remove: {
      leadsTo: [],
      async view(_ctx, data) {
        return {
          kind: 'form',
          form: {
            title: 'Stop paying for an account',
            fields: [
              {
                type: 'boolean',
                var: 'confirm',
                label: `Stop paying for ${data.leaf ?? ''}? They keep the months already paid, and are told.`,
                required: true,
              },
            ],
          },
          actions: ['complete'],
          defaultAction: 'complete',
        };
      },
      async submit(ctx, data) {
        const leafJid = data.leaf ?? '';
        // Read before: how the leaf knows its payer (number or JID) is in what the removal takes away.
        const leaf = await ctx.deps.accountState(leafJid);
        const leafOf = 'leafOf' in leaf ? leaf.leafOf : undefined;
        if (leafOf?.main !== ctx.who.bare) return finish('You do not pay for that account (any more).', 'warn');
        const until =
          leaf.kind === 'active' && leaf.paidThrough ? `It stays active through ${leaf.paidThrough}; after that` : 'From now on';
        // The leaf's message goes into the outbox in the same script as the removal.
        const told = `${await payerName(ctx, leafOf)} no longer pays for your account. ${until}, send "renew" to keep your number.`;
        if (!(await ctx.deps.leaves.remove(ctx.who.bare, leafJid, { to: leafJid, text: told })))
          return finish('You do not pay for that account (any more).', 'warn');
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
        const tel = 'tel' in state ? ` (${formatTel(state.tel)})` : '';
        const told = { to: leafOf?.main ?? '', text: `${ctx.who.bare}${tel} left: you no longer pay for that account.` };
        if (!leafOf || !(await ctx.deps.leaves.remove(leafOf.main, ctx.who.bare, told)))
          return finish('Nobody pays for your account any more.');
        const until = state.kind === 'active' && state.paidThrough ? `through ${state.paidThrough}` : 'for the months already paid';
        return finish(
          text`Done: they no longer pay for your account. It stays active ${until}; after that, ${send(NODES.upgrade, 'renew')} to keep your number.`,
        );
      },
    },
  },
});
