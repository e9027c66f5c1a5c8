import { describe, expect, it } from 'vitest';
import { holdDeadline, parseDeadline, paymentDeadline } from '../../src/store/deadlines.js';

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
