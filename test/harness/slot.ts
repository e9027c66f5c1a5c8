/**
 * Per-test-file isolation. Each integration test file calls allocateSlot() once
 * (e.g. in beforeAll) and gets a slot N in 1..12:
 *   - XMPP component `botN.localhost` (secret inject('componentSecret')),
 *   - Redis logical database N (flushed at allocation).
 * Database 15 holds the allocation counter. Slots are reused round-robin, which is
 * safe as long as fewer than 12 files run at once (maxWorkers is 2) and every file
 * disconnects its component in afterAll.
 */
import { inject } from 'vitest';
import { Redis } from 'ioredis';
import { SLOT_COUNT } from './global-setup.js';

const COUNTER_DB = 15;
const COUNTER_KEY = 'test-harness-slot';

export { SLOT_COUNT };

function connect(db: number): Redis {
  const redis = new Redis({
    host: '127.0.0.1',
    port: inject('redisPort'),
    db,
    lazyConnect: true,
    maxRetriesPerRequest: 1,
  });
  redis.on('error', (err) => console.warn(`[test harness] redis db ${db}: ${err.message}`));
  return redis;
}

export async function allocateSlot(): Promise<number> {
  const counter = connect(COUNTER_DB);
  let n: number;
  try {
    n = await counter.incr(COUNTER_KEY);
  } finally {
    counter.disconnect();
  }
  const slot = ((n - 1) % SLOT_COUNT) + 1;
  const db = connect(slot);
  try {
    await db.flushdb();
  } finally {
    db.disconnect();
  }
  return slot;
}

/** `redis://127.0.0.1:PORT/N` for the slot's logical database. */
export function redisUrlFor(slot: number): string {
  return `redis://127.0.0.1:${inject('redisPort')}/${slot}`;
}

/** `botN.localhost`. */
export function componentJidFor(slot: number): string {
  return `bot${slot}.localhost`;
}

/** Everything a component connection for this slot needs. */
export function componentOptionsFor(slot: number): {
  service: string;
  domain: string;
  password: string;
  host: string;
  port: number;
} {
  const port = inject('componentPort');
  return {
    service: `xmpp://127.0.0.1:${port}`,
    domain: componentJidFor(slot),
    password: inject('componentSecret'),
    host: '127.0.0.1',
    port,
  };
}
