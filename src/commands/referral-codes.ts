// Referral codes (node referral-codes; chat: codes, refer): a paying account lists its codes, makes one (a payer
// code for someone it will pay for, or an invite for a friend), or revokes one; admins make admin invites.
import { z } from 'zod';
import { type CodeKind, codeKindsFor, codeProblem, describeCode, formatCode, paysForItself, type ReferralCode } from '../domain/codes.js';
import { formatMoney } from '../domain/catalogue.js';
import { NODES } from '../domain/nodes.js';
import type { NewCode } from '../domain/ports.js';
import { formatTel } from '../domain/phone.js';
import type { Field, Option, Values } from '../forms/types.js';
import { type Ctx, type DataSpec, defineCommand, type ViewCtx } from './contract.js';
import { showField } from './payer.js';
import { done, finish } from './views.js';

/** How many codes the list (and the revoke choices) shows, newest first. */
const SHOWN = 50;
/** A drawn code that exists already is drawn again, this many times at most (30^10 codes: practically never). */
const DRAWS = 5;
const DAY = 86_400_000;

const codesData = z.object({ kind: z.enum(['payer', 'invite', 'admin']).optional() });
type CodesData = z.infer<typeof codesData>;
const data: DataSpec<CodesData> = { version: 1, schema: codesData, initial: {} };

const NEW_LABEL: Readonly<Record<CodeKind, string>> = {
  payer: 'New code for someone you will pay for (their account is paid from your balance)',
  invite: 'New invite code for a friend (they skip the approval queue)',
  admin: 'New admin invite (for many people, e.g. a conference)',
};

async function kindsFor(ctx: ViewCtx) {
  const state = await ctx.deps.accountState(ctx.who.bare);
  return codeKindsFor(state, { minPaidDays: ctx.deps.settings.referral.minPaidDays, isAdmin: ctx.who.isAdmin }, ctx.deps.now());
}

const usable = (codes: readonly ReferralCode[], now: Date) => codes.filter((c) => codeProblem(c, now) === undefined);

export const referralCodes = defineCommand<'list' | 'create' | 'revoke', CodesData>({
  node: NODES.codes,
  name: 'Referral codes',
  chatWords: ['codes', 'refer'],
  // Listed only to those who can make codes; others may ask and are told why not.
  access: (who, state) => (who.isAdmin || paysForItself(state) ? 'listed' : 'allowed'),
  data,
  start: 'list',
  steps: {
    list: {
      leadsTo: ['create', 'revoke'],
      async view(ctx) {
        const [kinds, codes] = await Promise.all([kindsFor(ctx), ctx.deps.codes.listOf(ctx.who.bare, SHOWN)]);
        const now = ctx.deps.now();
        const lines: Field[] = codes.length
          ? codes.map((c, i) => ({ type: 'fixed', var: `code_${i}`, value: describeCode(c, now, formatTel) }))
          : [{ type: 'fixed', var: 'none', value: 'You have no referral codes yet.' }];
        if ('refused' in kinds && codes.length === 0) return done(kinds.refused);
        const options: Option[] = [
          ...('kinds' in kinds ? kinds.kinds.map((k) => ({ value: k, label: NEW_LABEL[k] })) : []),
          ...(usable(codes, now).length ? [{ value: 'revoke', label: 'Revoke a code' }] : []),
        ];
        if (options.length === 0) return { kind: 'done', notes: [], result: { title: 'Your referral codes', fields: lines } };
        return {
          kind: 'form',
          form: {
            title: 'Your referral codes',
            fields: [
              ...lines,
              // The first is chosen already (Profanity shows the choices only then): choosing makes nothing yet.
              {
                type: 'list-single',
                var: 'do',
                label: 'What would you like to do?',
                required: true,
                options,
                value: options[0]?.value ?? '',
              },
            ],
          },
          actions: ['next'],
          defaultAction: 'next',
        };
      },
      async submit(ctx, data, values) {
        if (values.do === 'revoke') return { to: 'revoke', data };
        const kinds = await kindsFor(ctx);
        const kind = codesData.shape.kind.safeParse(values.do).data;
        if (!kind || !('kinds' in kinds) || !kinds.kinds.includes(kind))
          return { to: 'list', data, notes: [{ type: 'error', text: 'That is not something you can do here.' }] };
        return { to: 'create', data: { kind } };
      },
    },

    create: {
      leadsTo: [],
      async view(ctx, data) {
        const kind = data.kind ?? 'invite';
        const credit = ctx.deps.settings.referral.inviteCredit;
        const currency = ctx.deps.settings.catalogue.paid[0]?.currency;
        const fields: Field[] = [
          ...(kind === 'invite' && credit > 0 && currency
            ? [
                {
                  type: 'fixed' as const,
                  var: 'credit',
                  value: `When a friend who signed up with it first pays, ${formatMoney(credit, currency)} is added to your balance.`,
                },
              ]
            : []),
          usesField(kind),
          expiryField(kind),
          ...(kind === 'payer' ? [showField] : []),
        ];
        return {
          kind: 'form',
          form: { title: NEW_LABEL[kind].replace(/^New/, 'A new').replace(/ \(.*$/, ''), fields },
          actions: ['complete'],
          defaultAction: 'complete',
        };
      },
      async submit(ctx, data, values) {
        const kind = data.kind;
        const kinds = await kindsFor(ctx);
        if (!kind || !('kinds' in kinds) || !kinds.kinds.includes(kind))
          return finish('You cannot make that kind of code any more.', 'warn');
        const spec = specOf(ctx, kind, values);
        const made = await create(ctx, spec);
        if (made === 'limit') {
          const n = ctx.deps.settings.referral.codesPerMonth;
          return finish(
            `You have made ${n} ${n === 1 ? 'code' : 'codes'} this month, as many as one account may. You can make more next month.`,
            'warn',
          );
        }
        return {
          done: {
            kind: 'done',
            notes: [{ type: 'info', text: `Your new code (${summary(spec)}). Give it to them: they type it when they sign up here.` }],
            result: { title: 'Your new code', fields: [{ type: 'text-single', var: 'code', label: 'Code', value: formatCode(made.code) }] },
          },
        };
      },
    },

    revoke: {
      leadsTo: [],
      async view(ctx) {
        const codes = usable(await ctx.deps.codes.listOf(ctx.who.bare, SHOWN), ctx.deps.now());
        if (codes.length === 0) return done('You have no code that can still be used.');
        return {
          kind: 'form',
          form: {
            title: 'Revoke a code',
            fields: [
              {
                type: 'list-single',
                var: 'code',
                // Nothing is chosen for the person: revoking cannot be undone, so the label says what happens.
                label: 'Code to revoke (nobody can sign up with it afterwards)',
                required: true,
                options: codes.map((c) => ({ value: c.code, label: describeCode(c, ctx.deps.now(), formatTel) })),
              },
            ],
          },
          actions: ['complete'],
          defaultAction: 'complete',
        };
      },
      async submit(ctx, _data, values) {
        const code = String(values.code);
        if (!(await ctx.deps.codes.revoke(ctx.who.bare, code))) return finish('That code is not one of yours.', 'warn');
        return finish(`${formatCode(code)} is revoked: nobody can sign up with it any more.`);
      },
    },
  },
});

function usesField(kind: CodeKind): Field {
  const options: Option[] =
    kind === 'admin'
      ? [{ value: 'unlimited', label: 'No limit' }, ...[50, 200].map((n) => ({ value: String(n), label: `${n} people` }))]
      : [{ value: '1', label: 'One person' }, ...[3, 5, 10].map((n) => ({ value: String(n), label: `Up to ${n} people` }))];
  return { type: 'list-single', var: 'uses', label: 'How many people may use it', required: true, options, value: options[0]?.value ?? '' };
}

function expiryField(kind: CodeKind): Field {
  // An admin invite always ends: it may be passed around widely.
  const options: Option[] = [
    ...[7, 30, 90].map((d) => ({ value: String(d), label: `For ${d} days` })),
    ...(kind === 'admin' ? [] : [{ value: 'never', label: 'Until I revoke it' }]),
  ];
  return { type: 'list-single', var: 'expires', label: 'How long it works', required: true, options, value: '30' };
}

function specOf(ctx: Ctx, kind: CodeKind, values: Values): NewCode {
  const uses = Number(values.uses);
  const days = Number(values.expires);
  return {
    kind,
    creator: ctx.who.bare,
    ...(Number.isSafeInteger(uses) && uses > 0 ? { uses } : {}),
    ...(Number.isSafeInteger(days) && days > 0 ? { expiresAt: ctx.deps.now().getTime() + days * DAY } : {}),
    show: values.show === 'jid' ? 'jid' : 'number',
  };
}

/** Draw codes until one is free (or the month's share is used up). */
async function create(ctx: Ctx, spec: NewCode): Promise<{ code: string } | 'limit'> {
  const perMonth = ctx.who.isAdmin ? 0 : ctx.deps.settings.referral.codesPerMonth;
  for (let i = 0; i < DRAWS; i++) {
    const code = ctx.deps.newCode();
    const r = await ctx.deps.codes.create(code, spec, ctx.deps.now(), perMonth);
    if (r === 'ok') return { code };
    if (r === 'limit') return 'limit';
  }
  throw new Error(`referral codes: ${DRAWS} codes drawn in a row exist already; is the random source broken?`);
}

function summary(spec: NewCode): string {
  const uses = spec.uses === undefined ? 'no use limit' : spec.uses === 1 ? 'for one person' : `for up to ${spec.uses} people`;
  const until = spec.expiresAt === undefined ? 'until you revoke it' : `until ${new Date(spec.expiresAt).toISOString().slice(0, 10)}`;
  const what = spec.kind === 'payer' ? 'paid by you' : spec.kind === 'invite' ? 'an invite' : 'an admin invite';
  return `${what}, ${uses}, ${until}`;
}
