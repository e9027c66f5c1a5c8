import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CatalogueError, formatMoney, paidThrough, parseCatalogue, planName } from '../../src/domain/catalogue.js';

const sample = () => JSON.parse(readFileSync(new URL('../../samples/plans.json', import.meta.url), 'utf8'));

describe('plan catalogue', () => {
  it('reads the shipped example: two paid plans, the two trial months, top-up amounts', () => {
    const c = parseCatalogue(sample());
    expect(c.paid.map((p) => [p.id, p.currency, p.monthlyPrice])).toEqual([
      ['usd_monthly-v20261101', 'usd', 499],
      ['cad_monthly-v20261101', 'cad', 599],
    ]);
    expect(c.trial.first.id).toBe('trial_first_month-v20261101');
    expect(c.trial.second.id).toBe('trial_second_month-v20261101');
    expect(c.topUp.usd).toEqual([1000, 2500, 5000]);
    expect(planName(c, 'usd_monthly-v20261101')).toBe('Monthly (US dollars)');
    expect(planName(c, 'old_plan-v20200101')).toBe('old_plan-v20200101');
  });

  it.each([
    [{}, /"plans" must be a non-empty list/],
    [{ plans: [{ id: 'monthly', currency: 'usd', monthly_price: 499 }] }, /plans\[0\]\.id must look like usd_monthly-v20261101/],
    [{ plans: [{ id: 'usd_monthly-v20261101', currency: 'usd', monthly_price: 4.99 }] }, /monthly_price must be a whole number of cents/],
    [{ plans: [{ id: 'usd_monthly-v20261101', currency: 'dollars', monthly_price: 499 }] }, /currency must be a code/],
    [
      { plans: [{ id: 'usd_monthly-v20261101', currency: 'usd', monthly_price: 499, leaf_price: '2.99' }] },
      /plans\[0\]\.leaf_price must be a whole number/,
    ],
    [{ plans: [{ id: 'usd_monthly-v20261101', currency: 'usd', monthly_price: 499 }] }, /exactly one plan must have "trial": "first"/],
    [
      {
        plans: [
          { id: 'a_b-v20261101', trial: 'first' },
          { id: 'a_b-v20261101', trial: 'second' },
        ],
      },
      /appears twice/,
    ],
  ])('refuses a bad file with a message that says where: %j', (json, message) => {
    expect(() => parseCatalogue(json)).toThrow(CatalogueError);
    expect(() => parseCatalogue(json)).toThrow(message);
  });

  it('refuses fractional or negative top-up amounts', () => {
    const bad = { ...sample(), top_up: { usd: [10.5] } };
    expect(() => parseCatalogue(bad)).toThrow(/top_up\.usd must be a list of whole amounts/);
  });

  it('formats minor units per currency, including zero-decimal ones', () => {
    expect(formatMoney(499, 'usd')).toBe('$4.99');
    expect(formatMoney(599, 'cad')).toBe('CA$5.99');
    expect(formatMoney(500, 'jpy')).toBe('¥500');
  });

  it('a payment covers this month and the next: paid through the last day of next month', () => {
    expect(paidThrough(new Date('2026-11-22T10:00:00Z'))).toBe('2026-12-31');
    expect(paidThrough(new Date('2026-12-31T23:00:00Z'))).toBe('2027-01-31');
    expect(paidThrough(new Date('2027-01-15T00:00:00Z'))).toBe('2027-02-28');
  });
});

describe('Stripe minimums', () => {
  it('a price or top-up below Stripe’s smallest charge stops the catalogue with the place named', () => {
    const plans = [
      { id: 'trial_first_month-v20261101', trial: 'first' },
      { id: 'trial_second_month-v20261101', trial: 'second' },
    ];
    expect(() => parseCatalogue({ plans: [...plans, { id: 'cheap-v20261101', currency: 'usd', monthly_price: 49 }] })).toThrow(
      "plans[2].monthly_price: $0.49 is below Stripe's smallest charge in USD ($0.50)",
    );
    expect(() =>
      parseCatalogue({ plans: [...plans, { id: 'ok-v20261101', currency: 'gbp', monthly_price: 30 }], top_up: { gbp: [10] } }),
    ).toThrow(/top_up\.gbp: £0\.10 is below Stripe's smallest charge in GBP \(£0\.30\)/);
    expect(parseCatalogue({ plans: [...plans, { id: 'ok-v20261101', currency: 'usd', monthly_price: 50 }] }).paid).toHaveLength(1);
  });
});
