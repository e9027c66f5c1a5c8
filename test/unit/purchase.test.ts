import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AccountState } from '../../src/domain/account-state.js';
import { purchaseFor, summaryLines } from '../../src/domain/purchase.js';
import { activationCharge, leafCharge, leafChargeBasis, parseCatalogue } from '../../src/domain/catalogue.js';

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

const NOV_22 = new Date('2026-11-22T12:00:00Z');

describe('what a person pays for, by account state', () => {
  it('signup (new, with a held number) and renew (expired) pay the rest of this month pro rata and the next month', () => {
    // 22 November: 9 of 30 days left (the 22nd to the 30th) = 150 of 499, and December's 499.
    expect(purchaseFor({ plan: USD, reserved: choice.tel, choice }, states.new, catalogue, NOV_22)).toEqual({
      purpose: 'signup',
      tel: choice.tel,
      plan: USD,
      amount: 649,
      currency: 'usd',
      price: 649,
    });
    expect(purchaseFor({ plan: USD }, states.expired, catalogue, NOV_22)).toMatchObject({ purpose: 'renew', tel: '', amount: 649 });
  });

  it('upgrading a trial pays one month into the balance, whatever the day: the free months are kept', () => {
    expect(purchaseFor({ plan: USD }, states.trial, catalogue, NOV_22)).toMatchObject({ purpose: 'upgrade', amount: 499, price: 499 });
    const upgraded: AccountState = { ...states.trial, thenPlan: USD } as AccountState;
    expect(purchaseFor({ plan: USD }, upgraded, catalogue, NOV_22)).toEqual({
      refused: 'You have already upgraded: Monthly (US dollars) follows your free trial, which runs until 2026-12-31.',
    });
  });

  it('offers nothing for a period already paid, a pending signup, or a new JID without a number', () => {
    expect(purchaseFor({ plan: USD }, states.active, catalogue, NOV_22)).toEqual({
      refused: 'Your account is already paid for this month.',
    });
    expect(purchaseFor({ plan: USD }, states['paid-unregistered'], catalogue, NOV_22)).toHaveProperty('refused');
    expect(purchaseFor({ plan: USD }, states.pending, catalogue, NOV_22)).toHaveProperty('refused');
    expect(purchaseFor({ plan: USD }, states.new, catalogue, NOV_22)).toHaveProperty('refused');
  });

  it('never takes an amount or plan that is not in the catalogue', () => {
    expect(purchaseFor({ plan: 'trial_first_month-v20261101' }, states.trial, catalogue, NOV_22)).toEqual({
      refused: 'That plan is not offered.',
    });
    expect(purchaseFor({ plan: 'free_forever-v20261101' }, states.trial, catalogue, NOV_22)).toHaveProperty('refused');
    expect(purchaseFor({ topUp: 1 }, states.active, catalogue, NOV_22)).toEqual({ refused: 'That amount is not offered.' });
  });

  it('an account that expired on a paid plan may top up: the summary says the balance renews it', () => {
    const expired: AccountState = { kind: 'expired', tel: '+14165550100', expiredOn: '2026-11-01', lastPlan: USD };
    const p = purchaseFor({ topUp: 1000 }, expired, catalogue, NOV_22);
    expect(p).toMatchObject({ purpose: 'top-up', amount: 1000, currency: 'usd' });
    if ('refused' in p) throw new Error('refused');
    expect(summaryLines(p, {}, catalogue, NOV_22, expired)).toEqual([
      'Add $10.00 to your prepaid balance.',
      'Your account has expired: it is renewed from the balance on Monthly (US dollars)',
      'as soon as it covers the rest of this month and the next ($6.49),',
      'and is then paid through 2026-12-31.',
    ]);
    const wasTrial: AccountState = {
      kind: 'expired',
      tel: '+14165550100',
      expiredOn: '2026-11-01',
      lastPlan: 'trial_second_month-v20261101',
    };
    expect(purchaseFor({ topUp: 1000 }, wasTrial, catalogue, NOV_22)).toEqual({ refused: 'Top-ups are for paid accounts.' });
  });

  it('top-ups are in the currency of the account plan and only for active accounts', () => {
    expect(purchaseFor({ topUp: 2500 }, states.active, catalogue, NOV_22)).toEqual({
      purpose: 'top-up',
      plan: '',
      tel: '',
      amount: 2500,
      currency: 'cad',
      price: 0,
    });
    expect(purchaseFor({ topUp: 2500 }, states.trial, catalogue, NOV_22)).toHaveProperty('refused');
  });

  it('the summary shows the breakdown and the date it is paid through, in lines short enough for Poezio', () => {
    const p = purchaseFor({ plan: USD, reserved: choice.tel, choice }, states.new, catalogue, NOV_22);
    if ('refused' in p) throw new Error(JSON.stringify(p.refused));
    expect(summaryLines(p, { choice }, catalogue, NOV_22)).toEqual([
      'Number: +1 416 555 0100 (Toronto, ON)',
      'Plan: Monthly (US dollars), $4.99 a month',
      'Price: $6.49 by card now.',
      'Rest of this month (9 of 30 days): $1.50; December 2026: $4.99.',
      'Your account is then paid through 2026-12-31.',
    ]);
  });

  it('on the 1st the summary says it buys all of this month and the next', () => {
    const first = new Date('2026-12-01T09:00:00Z');
    const p = purchaseFor({ plan: USD }, states.expired, catalogue, first);
    if ('refused' in p) throw new Error(JSON.stringify(p.refused));
    expect(summaryLines(p, {}, catalogue, first).slice(-3)).toEqual([
      'Price: $9.98 by card now.',
      'All of this month: $4.99; January 2027: $4.99.',
      'Your account is then paid through 2027-01-31.',
    ]);
  });

  it('the summary of an upgrade says the trial goes on, and which month the payment buys', () => {
    const p = purchaseFor({ plan: USD }, states.trial, catalogue, NOV_22);
    if ('refused' in p) throw new Error(JSON.stringify(p.refused));
    expect(summaryLines(p, {}, catalogue, NOV_22, states.trial)).toEqual([
      'Plan: Monthly (US dollars), $4.99 a month',
      'Your free trial goes on until 2026-12-31; the plan starts 2027-01-01.',
      'Price: $4.99 by card now, into your prepaid balance.',
      'It pays for January 2027: paid through 2027-01-31.',
      'Each month after is taken from the balance.',
    ]);
  });
});

describe('activation pro rata by days', () => {
  // The 1st, the 15th and the last day of a 28-, a 30- and a 31-day month, at $4.99.
  const cases: [string, number, number][] = [
    ['2027-02-01', 28, 499],
    ['2027-02-15', 14, 250],
    ['2027-02-28', 1, 18],
    ['2026-11-01', 30, 499],
    ['2026-11-15', 16, 266],
    ['2026-11-30', 1, 17],
    ['2027-01-01', 31, 499],
    ['2027-01-15', 17, 274],
    ['2027-01-31', 1, 16],
  ];
  for (const [day, days, rest] of cases) {
    it(`${day}: ${days} days of this month, ${rest} of 499, then next month`, () => {
      const c = activationCharge(499, new Date(`${day}T23:59:00Z`));
      expect(c).toMatchObject({ days, rest, next: 499, total: rest + 499 });
      const p = purchaseFor({ plan: USD }, states.expired, catalogue, new Date(`${day}T08:00:00Z`));
      expect(p).toMatchObject({ amount: rest + 499 });
    });
  }
});

describe('what a paid leaf costs its main', () => {
  const basis = leafChargeBasis(catalogue, NOV_22);
  it('the leaf price for the rest of this month pro rata, then each further month the main has paid', () => {
    // $2.99 a leaf on the USD plan; 22 November: 9 of 30 days.
    expect(leafCharge(basis, [USD, USD, undefined, undefined], (p) => p.startsWith('trial'))).toBe(90 + 299);
    expect(leafCharge(basis, [USD, USD, USD, undefined], (p) => p.startsWith('trial'))).toBe(90 + 2 * 299);
    expect(leafCharge(basis, [USD, undefined, USD, undefined], (p) => p.startsWith('trial'))).toBe(90);
  });
  it('nothing for a main whose plan has no price here (the script refuses such a main anyway)', () => {
    expect(leafCharge(basis, ['trial_first_month-v20261101'], (p) => p.startsWith('trial'))).toBe(0);
    expect(leafCharge(basis, [undefined], () => false)).toBe(0);
  });
});

describe('summary lines fit a narrow form', () => {
  it('no line of any summary is longer than 80 characters (Poezio cuts fixed fields at its width)', () => {
    const expired: AccountState = { kind: 'expired', tel: '+14165550100', expiredOn: '2026-11-01', lastPlan: USD };
    const all = [
      summaryLines(
        purchaseFor({ plan: USD, reserved: choice.tel, choice }, states.new, catalogue, NOV_22) as never,
        { choice },
        catalogue,
        NOV_22,
      ),
      summaryLines(purchaseFor({ plan: USD }, states.trial, catalogue, NOV_22) as never, {}, catalogue, NOV_22, states.trial),
      summaryLines(purchaseFor({ topUp: 1000 }, expired, catalogue, NOV_22) as never, {}, catalogue, NOV_22, expired),
      summaryLines(purchaseFor({ plan: 'cad_monthly-v20261101' }, states.expired, catalogue, NOV_22) as never, {}, catalogue, NOV_22),
    ].flat();
    for (const line of all) expect(line.length, line).toBeLessThanOrEqual(80);
  });
});
