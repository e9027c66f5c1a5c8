// Delivers the outbox while the component is online: reads a batch (through the consumer group: with several
// processes each message goes to one), sends each as a chat message, then deletes the batch. A crash between the
// send and the delete sends those messages again after a restart (or from another process, once they have been
// waiting STALE_MS); a crash or an XMPP outage before the send only delays them.
import type { Log, OutboxMessage, OutboxPort } from '../domain/ports.js';

/** A message read by a sender that did not confirm it within this long is taken over (that sender died). */
const STALE_MS = 30_000;
const CLAIM_EVERY_MS = 10_000;
const BATCH = 50;
const BLOCK_MS = 1000;

export interface OutboxSenderOptions {
  /** This process's name in the consumer group. */
  readonly consumer: string;
  readonly online: () => boolean;
  /** Send one chat message; rejects when it could not be written (it is then read again later). */
  readonly deliver: (to: string, body: string, id: string) => Promise<void>;
  readonly log: Log;
}

export interface OutboxSender {
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function startOutboxSender(port: OutboxPort, o: OutboxSenderOptions, interruptRead: () => void): OutboxSender {
  let stopping = false;
  let failing = false;
  async function once(lastClaim: number): Promise<number> {
    let batch: OutboxMessage[] = [];
    let claimed = lastClaim;
    if (Date.now() - lastClaim > CLAIM_EVERY_MS) {
      claimed = Date.now();
      batch = await port.stale(o.consumer, STALE_MS, BATCH);
    }
    // After a failure, this sender's own unconfirmed messages first (id 0), rather than waiting for a takeover.
    if (!batch.length) batch = await port.next(o.consumer, BATCH, failing ? 0 : BLOCK_MS, failing ? 'own' : 'new');
    const done: string[] = [];
    try {
      for (const m of batch) {
        if (stopping || !o.online()) break;
        if (m.to) await o.deliver(m.to, m.body, `outbox-${m.id}`);
        else o.log.warn(`outbox: entry ${m.id} has no recipient or body; dropped`, { event: 'outbox.malformed' });
        done.push(m.id);
      }
    } finally {
      // What was sent is confirmed even when a later one failed: it is not sent twice.
      await port.sent(done);
    }
    if (failing) o.log.info('outbox: delivering again', { event: 'outbox.recovered' });
    failing = false;
    return claimed;
  }
  const loop = (async () => {
    let lastClaim = 0;
    while (!stopping) {
      if (!o.online()) {
        await sleep(200);
        continue;
      }
      try {
        lastClaim = await once(lastClaim);
      } catch (err) {
        if (stopping) break;
        const why = ((err as Error).cause as Error | undefined)?.message ?? (err as Error).message;
        if (!failing) o.log.warn(`outbox: cannot deliver now: ${why}`, { event: 'outbox.failed' });
        failing = true;
        await sleep(1000);
      }
    }
  })();
  return {
    async stop() {
      stopping = true;
      interruptRead();
      await loop;
      // Each start has a name of its own: leave the group rather than pile up names (nothing is lost: see leave).
      await port.leave(o.consumer).catch(() => undefined);
    },
  };
}
