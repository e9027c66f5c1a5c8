// Admin: decide pending signups (node pending-approvals). Approval writes the account atomically.
import { NODES } from '../domain/nodes.js';
import { formatTel } from '../domain/phone.js';
import { z } from 'zod';
import { adminsOnly } from './access.js';
import { type DataSpec, defineCommand } from './contract.js';
import { done, finish } from './views.js';

const PAGE = 20;

const approvalData = z.object({ jid: z.string().optional() });
type ApprovalData = z.infer<typeof approvalData>;
const data: DataSpec<ApprovalData> = { version: 1, schema: approvalData, initial: {} };

export const approvals = defineCommand<'pick' | 'decide', ApprovalData>({
  node: NODES.approvals,
  name: 'Pending approvals',
  chatWords: ['approvals', 'pending'],
  access: adminsOnly,
  data,
  start: 'pick',
  steps: {
    pick: {
      leadsTo: ['decide'],
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
                // The oldest is chosen already (Profanity shows the choices only then): choosing decides nothing yet.
                value: list[0]?.jid ?? '',
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
      leadsTo: [],
      async view(ctx, data) {
        const p = data.jid ? await ctx.deps.accounts.pending(data.jid) : undefined;
        if (!p) return done('That signup was already decided.');
        return {
          kind: 'form',
          form: {
            title: `Approve ${p.jid} for ${formatTel(p.tel)} (${p.method})?`,
            fields: [
              {
                type: 'list-single',
                var: 'decision',
                // Nothing is chosen for the admin (approving assigns a number), so the label names the choices.
                label: 'Decision: approve or deny',
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
        const jid = data.jid;
        if (!jid) return finish('That signup was already decided.');
        // The person's message goes into the outbox in the same script as the decision: it is sent even if
        // this process stops right after.
        const pending = await deps.accounts.pending(jid);
        if (!pending) return finish('That signup was already decided.');
        const tel = pending.tel;
        if (values.decision === 'deny') {
          const denied = await deps.accounts.deny(jid, { tel, text: `Sorry, your signup for ${formatTel(tel)} was not approved.` });
          if (!denied) return finish('That signup was already decided.');
          return finish(`Denied: ${jid} was told, and ${formatTel(tel)} is free again.`);
        }
        const r = await deps.accounts.approve(jid, deps.settings.trialPlans, deps.now(), {
          tel,
          assigned: `Your signup was approved: your number is ${formatTel(tel)}.`,
          gone: `Your signup was approved, but ${formatTel(tel)} is no longer available. Send "signup" to choose another number; no new approval is needed.`,
        });
        if (r.outcome === 'not-pending' || r.outcome === 'changed') return finish('That signup was already decided.');
        if (r.outcome === 'number-gone')
          return finish(`Approved, but ${formatTel(r.tel)} was gone: ${jid} was asked to choose another number.`);
        return finish(`Approved: ${jid} now has ${formatTel(r.tel)}.`);
      },
    },
  },
});
