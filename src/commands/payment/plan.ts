// Choose a paid plan (when the catalogue has several): prices from the catalogue only. A shared step: the host
// command says which of its steps this one is and where the summary is.
import { formatMoney, type PaidPlan } from '../../domain/catalogue.js';
import type { Outcome, Step } from '../contract.js';
import type { PurchaseData } from './data.js';

export function planStep<S extends string>(to: { readonly self: S; readonly pay: S }): Step<S, PurchaseData> {
  return {
    leadsTo: [to.pay],
    async view(ctx, data) {
      const { paid } = ctx.deps.settings.catalogue;
      // A plan is chosen already (Profanity shows the choices only then): choosing one charges nothing.
      const chosen = data.plan ?? paid[0]?.id;
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
              ...(chosen ? { value: chosen } : {}),
            },
          ],
        },
        actions: ['next'],
        defaultAction: 'next',
      };
    },
    async submit(ctx, data, values) {
      const chosen = ctx.deps.settings.catalogue.paid.find((p) => p.id === values.plan);
      if (!chosen) return { to: to.self, data, notes: [{ type: 'error', text: 'That plan is not offered.' }] };
      return { to: to.pay, data: { ...data, plan: chosen.id } };
    },
  };
}

/** Where card payment goes next: straight to the summary when there is only one plan to choose. */
export function toPlanChoice<S extends string>(
  data: PurchaseData,
  paid: readonly PaidPlan[],
  to: { readonly plan: S; readonly pay: S },
): Outcome<S, PurchaseData> {
  const only = paid.length === 1 ? paid[0] : undefined;
  return only ? { to: to.pay, data: { ...data, plan: only.id } } : { to: to.plan, data };
}
