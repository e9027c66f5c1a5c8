// The outbox sender's bookkeeping with a port that behaves as the consumer group does: what was sent is
// confirmed even when a later message of the batch fails, and the failed one is sent again soon, once.
import { describe, expect, it } from 'vitest';
import type { OutboxMessage, OutboxPort } from '../../src/domain/ports.js';
import { startOutboxSender } from '../../src/xmpp/outbox-sender.js';

function group(messages: OutboxMessage[]) {
  const waiting = [...messages];
  const pending = new Map<string, OutboxMessage>();
  const acked: string[] = [];
  const port: OutboxPort = {
    async next(_c, count, blockMs, which = 'new') {
      if (which === 'own') return [...pending.values()];
      const batch = waiting.splice(0, count);
      for (const m of batch) pending.set(m.id, m);
      if (!batch.length) await new Promise((r) => setTimeout(r, Math.min(blockMs, 20)));
      return batch;
    },
    async stale() {
      return [];
    },
    async sent(ids) {
      for (const id of ids) {
        pending.delete(id);
        acked.push(id);
      }
    },
    async leave() {},
    async depth() {
      return { count: waiting.length + pending.size };
    },
  };
  return { port, acked, pending };
}

describe('the outbox sender', () => {
  it('a send that fails half way through a batch: the ones before are not sent again, the failed one is, soon', async () => {
    const { port, acked, pending } = group([
      { id: '1-0', to: 'a@example.org', body: 'one' },
      { id: '2-0', to: 'a@example.org', body: 'two' },
      { id: '3-0', to: 'a@example.org', body: 'three' },
    ]);
    const delivered: string[] = [];
    let fail = true;
    const sender = startOutboxSender(
      port,
      {
        consumer: 'me',
        online: () => true,
        deliver: async (_to, body) => {
          if (body === 'two' && fail) {
            fail = false;
            throw new Error('write after end');
          }
          delivered.push(body);
        },
        log: { info() {}, warn() {}, error() {} },
      },
      () => undefined,
    );
    for (let i = 0; i < 200 && acked.length < 3; i++) await new Promise((r) => setTimeout(r, 10));
    await sender.stop();
    expect(delivered).toEqual(['one', 'two', 'three']);
    expect(acked.sort()).toEqual(['1-0', '2-0', '3-0']);
    expect(pending.size).toBe(0);
  });
});
