// Admin: decide pending signups (node pending-approvals). Approval writes the account atomically.
import { adminsOnly } from './access.js';
import { done } from './signup/describe.js';
import { formatTel } from './signup/phone.js';
import type { Command } from './types.js';

const PAGE = 20;

export const approvals: Command = {
  node: 'pending-approvals',
  name: 'Pending approvals',
  chatWords: ['approvals', 'pending'],
  access: adminsOnly,
  start: 'pick',
  steps: {
    pick: {
      async view(ctx) {
        const list = await ctx.deps.accounts.pendingList(PAGE);
        if (list.length === 0) return done('No signups are waiting for approval.');
        return {
          kind: 'form',
          form: {
            title: 'Pending approvals',
            instructions: ['Choose a signup to approve or deny.'],
            fields: [
              {
                type: 'list-single',
                var: 'jid',
                label: 'Signup',
                required: true,
                options: list.map((p) => ({ value: p.jid, label: `${p.jid} for ${formatTel(p.tel)} (${p.at.slice(0, 10)})` })),
              },
            ],
          },
          actions: ['next'],
          defaultAction: 'next',
        };
      },
      async submit(_ctx, data, values) {
        return { to: 'decide', data: { ...data, jid: String(values.jid) } };
      },
    },
    decide: {
      async view(ctx, data) {
        const p = await ctx.deps.accounts.pending(String(data.jid));
        if (!p) return done('That signup was already decided.');
        return {
          kind: 'form',
          form: {
            title: `Approve ${p.jid} for ${formatTel(p.tel)} (${p.method})?`,
            fields: [
              {
                type: 'list-single',
                var: 'decision',
                label: 'Decision',
                required: true,
                options: [
                  { value: 'approve', label: 'Approve' },
                  { value: 'deny', label: 'Deny' },
                ],
              },
            ],
          },
          actions: ['complete'],
          defaultAction: 'complete',
        };
      },
      async submit(ctx, data, values) {
        const { deps } = ctx;
        const jid = String(data.jid);
        if (values.decision === 'deny') {
          const tel = await deps.accounts.deny(jid);
          if (!tel) return { done: done('That signup was already decided.') };
          await deps.notify(jid, `Sorry, your signup for ${formatTel(tel)} was not approved.`);
          return { done: done(`Denied: ${jid} was told, and ${formatTel(tel)} is free again.`) };
        }
        const r = await deps.accounts.approve(jid, deps.settings.trialPlans, deps.now());
        if (r.outcome === 'not-pending') return { done: done('That signup was already decided.') };
        if (r.outcome === 'number-gone') {
          await deps.notify(jid, `Your signup was approved, but ${formatTel(r.tel)} is no longer available. Send "signup" to choose another number; no new approval is needed.`);
          return { done: done(`Approved, but ${formatTel(r.tel)} was gone: ${jid} was asked to choose another number.`) };
        }
        await deps.notify(jid, `Your signup was approved: your number is ${formatTel(r.tel)}.`);
        return { done: done(`Approved: ${jid} now has ${formatTel(r.tel)}.`) };
      },
    },
  },
};
