import { describe, expect, it } from 'vitest';
import { holdDeadline, parseDeadline, paymentDeadline } from '../../src/store/deadlines.js';
import { howLong } from '../../src/domain/notices.js';
import { botMetrics } from '../../src/metrics.js';

describe('deadline members (bot-deadlines)', () => {
  it('read back what was written, a JID with a | in its local part included', () => {
    const jid = 'a|b@example.org';
    expect(parseDeadline(holdDeadline('+14165550100', 'sess-1', jid))).toEqual({
      member: `hold|+14165550100|sess-1|${jid}`,
      kind: 'hold',
      tel: '+14165550100',
      holder: 'sess-1',
      jid,
    });
    expect(parseDeadline(paymentDeadline('p-7'))).toEqual({ member: 'payment|p-7', kind: 'payment', id: 'p-7' });
  });

  it('refuse what this bot never writes', () => {
    for (const m of ['', 'payment|', 'payment|a|b', 'hold|+1416', 'trial|a@b', 'nonsense']) expect(parseDeadline(m)).toBeUndefined();
  });
});

describe('how long a hold lasted, in its message', () => {
  it('says it as a person would', () => {
    expect([1800, 60, 90, 3600, 7200, 5400, 45, 1].map(howLong)).toEqual([
      '30 minutes',
      '1 minute',
      '2 minutes',
      '1 hour',
      '2 hours',
      '90 minutes',
      '45 seconds',
      '1 second',
    ]);
  });
});

describe('the deadlines metric', () => {
  it('counts what the runner reports, by kind and outcome', async () => {
    const m = botMetrics({ xmpp: () => 'online', redis: () => 'ready', outbox: async () => ({ count: 0 }) });
    m.port.deadlines({ 'hold:lapsed': 2, 'payment:done': 1 });
    m.port.deadlines({ 'hold:lapsed': 1 });
    const { body } = await m.scrape();
    expect(body).toContain('jmp_bot_deadlines_total{kind="hold",outcome="lapsed"} 3');
    expect(body).toContain('jmp_bot_deadlines_total{kind="payment",outcome="done"} 1');
  });
});
