// The seeds' five account states at the options step, plus "waiting for approval", from what Redis holds.
import { describe, expect, it } from 'vitest';
import { deriveAccountState, isRegistered, type AccountFacts } from '../../src/domain/account-state.js';
import { monthStart } from '../../src/domain/months.js';

const JID = 'alice@example.com';
const TEL = '+14165550100';
const NOW = new Date('2026-11-22T10:00:00Z');
const isTrial = (plan: string) => plan.startsWith('trial');

function state(f: AccountFacts, now: Date = NOW) {
  return deriveAccountState(JID, f, now, isTrial);
}

/** A number that is ours: `catapult_jid-<tel>` points back at us. */
const OURS = { tel: TEL, telOwner: JID } as const;

describe('deriveAccountState', () => {
  it('1 new: nothing recorded', () => {
    expect(state({ plans: [] })).toStrictEqual({ kind: 'new' });
    expect(state({ plans: [undefined, undefined, undefined] })).toStrictEqual({ kind: 'new' });
  });

  it('new even with an old plan, when there is no number and no plan this month', () => {
    expect(state({ plans: [undefined, 'basic'] })).toStrictEqual({ kind: 'new' });
  });

  it('pending: a signup waits for an admin', () => {
    expect(state({ plans: [], pending: { tel: TEL, at: '2026-11-21T09:00:00Z' } })).toStrictEqual({
      kind: 'pending',
      tel: TEL,
      since: '2026-11-21T09:00:00Z',
    });
  });

  it('2 paid-unregistered: a plan this month but no number', () => {
    expect(state({ plans: ['basic'] })).toStrictEqual({ kind: 'paid-unregistered', plan: 'basic' });
  });

  it('2 paid-unregistered: the number we recorded now belongs to another JID', () => {
    expect(state({ tel: TEL, telOwner: 'bob@example.com', plans: ['basic'] })).toStrictEqual({ kind: 'paid-unregistered', plan: 'basic' });
    expect(state({ tel: TEL, plans: ['basic'] })).toStrictEqual({ kind: 'paid-unregistered', plan: 'basic' });
  });

  it('a number pointing at another JID, with no plan, is new', () => {
    expect(state({ tel: TEL, telOwner: 'bob@example.com', plans: [undefined, 'basic'] })).toStrictEqual({ kind: 'new' });
  });

  it('3 active: our number and a paid plan this month', () => {
    expect(state({ ...OURS, plans: ['basic'] })).toStrictEqual({
      kind: 'active',
      tel: TEL,
      plan: 'basic',
      paidThrough: '2026-11-30',
      paidSince: '2026-11-01',
    });
    // Paid since the first of the paid months running up to this one (a trial before them does not count).
    expect(state({ ...OURS, usageStartDay: '2026-03-04', plans: ['basic', 'basic', 'trial-2', 'trial-1'] })).toStrictEqual({
      kind: 'active',
      tel: TEL,
      plan: 'basic',
      since: '2026-03-04',
      paidThrough: '2026-11-30',
      paidSince: '2026-10-01',
    });
  });

  it('paid through the end of the last month of an unbroken run of paid plans from this one', () => {
    expect(state({ ...OURS, plans: ['basic'], ahead: ['basic'] })).toMatchObject({ kind: 'active', paidThrough: '2026-12-31' });
    expect(state({ ...OURS, plans: ['basic'], ahead: ['basic', 'basic', undefined] })).toMatchObject({ paidThrough: '2027-01-31' });
    expect(state({ ...OURS, plans: ['basic'], ahead: [undefined, 'basic'] })).toMatchObject({ paidThrough: '2026-11-30' });
    // A trial month after a paid one is not paid for.
    expect(state({ ...OURS, plans: ['basic'], ahead: ['trial-1'] })).toMatchObject({ paidThrough: '2026-11-30' });
  });

  it('5 trial: our number and a trial plan this month', () => {
    expect(state({ ...OURS, plans: ['trial-1'] })).toStrictEqual({ kind: 'trial', tel: TEL, plan: 'trial-1', trialUntil: '2026-11-30' });
    // The two trial months, then (once upgraded) the paid plan that follows them.
    expect(state({ ...OURS, plans: ['trial-1'], ahead: ['trial-2'] })).toMatchObject({ trialUntil: '2026-12-31' });
    expect(state({ ...OURS, plans: ['trial-1'], ahead: ['trial-2', 'basic'] })).toMatchObject({
      trialUntil: '2026-12-31',
      thenPlan: 'basic',
    });
    expect(state({ ...OURS, usageStartDay: '2026-11-01', plans: ['trial-2', 'trial-1'] })).toMatchObject({
      kind: 'trial',
      plan: 'trial-2',
      since: '2026-11-01',
    });
  });

  it('4 expired: a plan last month only → expired on the first of this month, on that plan (a top-up renews on it)', () => {
    expect(state({ ...OURS, plans: [undefined, 'basic'] })).toStrictEqual({
      kind: 'expired',
      tel: TEL,
      expiredOn: '2026-11-01',
      lastPlan: 'basic',
    });
  });

  it('4 expired: the first day of the month after the last plan month', () => {
    expect(state({ ...OURS, usageStartDay: '2025-06-10', plans: [undefined, undefined, undefined, 'basic', 'basic'] })).toStrictEqual({
      kind: 'expired',
      tel: TEL,
      expiredOn: '2026-09-01',
      lastPlan: 'basic',
      since: '2025-06-10',
    });
  });

  it('4 expired: across a year boundary', () => {
    const jan = new Date('2027-01-15T00:00:00Z');
    expect(state({ ...OURS, plans: [undefined, undefined, 'basic'] }, jan)).toMatchObject({ kind: 'expired', expiredOn: '2026-12-01' });
    expect(state({ ...OURS, plans: [undefined, 'trial-1'] }, jan)).toMatchObject({ kind: 'expired', expiredOn: '2027-01-01' });
  });

  it('our number with no plan ever recorded is active (it predates plan keys)', () => {
    expect(state({ ...OURS, plans: [] })).toStrictEqual({ kind: 'active', tel: TEL });
    expect(state({ ...OURS, plans: [undefined, undefined] })).toStrictEqual({ kind: 'active', tel: TEL });
  });

  it('a registered number wins over a stale pending request', () => {
    expect(state({ ...OURS, pending: { tel: '+16135550100', at: '2026-11-01' }, plans: ['basic'] })).toMatchObject({
      kind: 'active',
      tel: TEL,
    });
  });
});

describe('isRegistered', () => {
  it('is true exactly for active, expired and trial', () => {
    const kinds = [
      state({ plans: [] }),
      state({ plans: [], pending: { tel: TEL, at: 'x' } }),
      state({ plans: ['basic'] }),
      state({ ...OURS, plans: ['basic'] }),
      state({ ...OURS, plans: [undefined, 'basic'] }),
      state({ ...OURS, plans: ['trial-1'] }),
    ];
    expect(kinds.map((s) => [s.kind, isRegistered(s)])).toEqual([
      ['new', false],
      ['pending', false],
      ['paid-unregistered', false],
      ['active', true],
      ['expired', true],
      ['trial', true],
    ]);
  });
});

describe('monthStart', () => {
  it('counts months back in UTC', () => {
    expect(monthStart(NOW, 0)).toBe('2026-11-01');
    expect(monthStart(NOW, 11)).toBe('2025-12-01');
    expect(monthStart(new Date('2026-03-01T00:30:00+01:00'), 0)).toBe('2026-02-01');
  });
});
