// Choose a paid plan (when the catalogue has several): prices from the catalogue only.
import { formatMoney } from '../../payments/catalogue.js';
import type { Step } from '../types.js';
import type { PayData } from './purchase.js';

export const plan: Step = {
  async view(ctx, raw) {
    const data = raw as PayData;
    const { paid } = ctx.deps.settings.catalogue;
    return {
      kind: 'form',
      form: {
        title: 'Choose a plan',
        fields: [
          {
            type: 'list-single',
            var: 'plan',
            label: 'Plan',
            required: true,
            options: paid.map((p) => ({ value: p.id, label: `${p.name}: ${formatMoney(p.monthlyPrice, p.currency)} a month` })),
            ...(data.plan ? { value: data.plan } : {}),
          },
        ],
      },
      actions: ['next'],
      defaultAction: 'next',
    };
  },
  async submit(ctx, raw, values) {
    const data = raw as PayData;
    const chosen = ctx.deps.settings.catalogue.paid.find((p) => p.id === values.plan);
    if (!chosen) return { to: 'plan', data, notes: [{ type: 'error', text: 'That plan is not offered.' }] };
    return { to: 'pay', data: { ...data, plan: chosen.id } };
  },
};

/** Where card payment goes next: straight to the summary when there is only one plan to choose. */
export function toPlanChoice(data: PayData, paidPlans: readonly { id: string }[]) {
  const only = paidPlans.length === 1 ? paidPlans[0] : undefined;
  return only ? { to: 'pay', data: { ...data, plan: only.id } } : { to: 'plan', data };
}
