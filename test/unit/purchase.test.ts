import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AccountState } from '../../src/domain/account-state.js';
import { purchaseFor, summaryLines } from '../../src/domain/purchase.js';
import { parseCatalogue } from '../../src/domain/catalogue.js';

const catalogue = parseCatalogue(JSON.parse(readFileSync(new URL('../../samples/plans.json', import.meta.url), 'utf8')));
const USD = 'usd_monthly-v20261101';
const choice = { tel: '+14165550100', rateCentre: 'Toronto', region: 'ON' };

const states: Record<AccountState['kind'], AccountState> = {
  new: { kind: 'new' },
  pending: { kind: 'pending', tel: '+14165550100', since: '2026-11-01' },
  'paid-unregistered': { kind: 'paid-unregistered', plan: USD },
  active: { kind: 'active', tel: '+14165550100', plan: 'cad_monthly-v20261101' },
  expired: { kind: 'expired', tel: '+14165550100', expiredOn: '2026-10-01' },
  trial: { kind: 'trial', tel: '+14165550100', plan: 'trial_first_month-v20261101', trialUntil: '2026-12-31' },
};

describe('what a person pays for, by account state', () => {
  it('signup (new, with a held number), renew (expired) and upgrade (trial) pay the plan price from the catalogue', () => {
    expect(purchaseFor({ plan: USD, reserved: choice.tel, choice }, states.new, catalogue)).toEqual({
      purpose: 'signup',
      tel: choice.tel,
      plan: USD,
      amount: 499,
      currency: 'usd',
      price: 499,
    });
    expect(purchaseFor({ plan: USD }, states.expired, catalogue)).toMatchObject({ purpose: 'renew', tel: '', amount: 499 });
    expect(purchaseFor({ plan: USD }, states.trial, catalogue)).toMatchObject({ purpose: 'upgrade', amount: 499 });
  });

  it('offers nothing for a period already paid, a pending signup, or a new JID without a number', () => {
    expect(purchaseFor({ plan: USD }, states.active, catalogue)).toEqual({ refused: 'Your account is already paid for this month.' });
    expect(purchaseFor({ plan: USD }, states['paid-unregistered'], catalogue)).toHaveProperty('refused');
    expect(purchaseFor({ plan: USD }, states.pending, catalogue)).toHaveProperty('refused');
    expect(purchaseFor({ plan: USD }, states.new, catalogue)).toHaveProperty('refused');
  });

  it('never takes an amount or plan that is not in the catalogue', () => {
    expect(purchaseFor({ plan: 'trial_first_month-v20261101' }, states.trial, catalogue)).toEqual({ refused: 'That plan is not offered.' });
    expect(purchaseFor({ plan: 'free_forever-v20261101' }, states.trial, catalogue)).toHaveProperty('refused');
    expect(purchaseFor({ topUp: 1 }, states.active, catalogue)).toEqual({ refused: 'That amount is not offered.' });
  });

  it('top-ups are in the currency of the account plan and only for active accounts', () => {
    expect(purchaseFor({ topUp: 2500 }, states.active, catalogue)).toEqual({
      purpose: 'top-up',
      plan: '',
      tel: '',
      amount: 2500,
      currency: 'cad',
      price: 0,
    });
    expect(purchaseFor({ topUp: 2500 }, states.trial, catalogue)).toHaveProperty('refused');
  });

  it('the summary names the number, plan, price and the date it is paid through', () => {
    const p = purchaseFor({ plan: USD, reserved: choice.tel, choice }, states.new, catalogue);
    if ('refused' in p) throw new Error(JSON.stringify(p.refused));
    expect(summaryLines(p, { choice }, catalogue, new Date('2026-11-22T00:00:00Z'))).toEqual([
      'Number: +1 416 555 0100 (Toronto, ON)',
      'Plan: Monthly (US dollars)',
      'Price: $4.99, paid by card now; your account is then paid through 2026-12-31.',
    ]);
  });
});
