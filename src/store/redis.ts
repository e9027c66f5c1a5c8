// The Redis connection: fail fast while Redis is away (users are told to retry), reconnect forever in the background.
import type { Socket } from 'node:net';
import { Redis } from 'ioredis';
import { batchWrites } from '../socket-writes.js';
import { UnavailableError } from '../domain/errors.js';
import type { Log } from '../domain/ports.js';

export type { Redis };

/** Where Redis is: a URL, or the Sentinels that know the current primary of `name`. */
export type RedisTarget =
  | string
  | {
      readonly sentinels: readonly { readonly host: string; readonly port: number }[];
      readonly name: string;
      readonly db: number;
      readonly password?: string;
      readonly sentinelPassword?: string;
    };

/** Writes wait for this many replicas to have them, this long at most (REDIS_WAIT_REPLICAS): per connection. */
export interface Replication {
  readonly replicas: number;
  readonly timeoutMs: number;
}
/**
 * Per connection: how many replicas its writes wait for, and the connection they go on (WAIT blocks the
 * connection it is sent on, and counts that connection's writes: a second connection keeps every other
 * command from queueing behind it).
 */
const replication = new WeakMap<Redis, Replication & { readonly conn: Redis }>();

/** The first connection gives up after this long (Sentinels that do not answer, a wrong primary name). */
const CONNECT_DEADLINE_MS = 10_000;

/** Connect, or fail with one line within the deadline (ioredis would otherwise retry forever). */
async function connectWithin(redis: Redis, what: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      redis.connect(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer from ${what} within ${CONNECT_DEADLINE_MS / 1000} s`)), CONNECT_DEADLINE_MS);
      }),
    ]);
  } catch (err) {
    redis.disconnect();
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

export async function connectRedis(target: RedisTarget, log: Log, wait?: Replication): Promise<Redis> {
  const options = {
    // A command fails at once while disconnected instead of waiting ~73 s in the offline queue.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    lazyConnect: true,
    // Calls issued together (Promise.all) are one round trip anyway (each is written at once). Auto-pipelining
    // would hold every call for a turn of the event loop (setImmediate) to batch it with others: a step is mostly
    // one script a round trip, so that turn is latency and CPU with nothing to batch (npm run bench, A/B).
    enableAutoPipelining: false,
    retryStrategy: (times: number) => Math.min(times * 200, 5000),
    // A primary turned replica by a failover answers writes with READONLY: reconnect, and ask the Sentinels again.
    reconnectOnError: (err: Error) => (/READONLY/.test(err.message) ? 1 : false),
  } as const;
  const redis =
    typeof target === 'string'
      ? new Redis(target, options)
      : new Redis({
          ...options,
          sentinels: target.sentinels.map((s) => ({ ...s })),
          name: target.name,
          db: target.db,
          ...(target.password ? { password: target.password } : {}),
          ...(target.sentinelPassword ? { sentinelPassword: target.sentinelPassword } : {}),
          // Subscribe to the Sentinels' +switch-master: reconnect to the new primary as soon as they agree.
          failoverDetector: true,
          sentinelRetryStrategy: (times: number) => Math.min(times * 200, 2000),
        });
  writeInBatches(redis);
  let down = false;
  redis.on('error', (err: Error) => {
    if (!down) log.warn(`redis: ${err.message}`, { event: 'redis.error' });
    down = true;
  });
  redis.on('ready', () => {
    if (down) log.info('redis: connected again', { event: 'redis.ready' });
    down = false;
  });
  const what = typeof target === 'string' ? 'Redis' : `the Sentinels about "${target.name}"`;
  await connectWithin(redis, what);
  if (wait && wait.replicas > 0) {
    const conn = redis.duplicate();
    writeInBatches(conn);
    conn.on('error', () => undefined); // the main connection logs what goes wrong
    try {
      await connectWithin(conn, what);
    } catch (err) {
      redis.disconnect();
      throw err;
    }
    redis.once('end', () => conn.disconnect());
    replication.set(redis, { ...wait, conn });
  }
  return redis;
}

/** Each connection's socket (a new one on every reconnect) writes what one turn asks in one system call. */
function writeInBatches(redis: Redis): void {
  redis.on('connect', () => {
    const stream = (redis as unknown as { stream?: Socket }).stream;
    if (stream) batchWrites(stream);
  });
}

/**
 * Round trips as a person waits for them: a call that starts while none is in flight opens a new one
 * (calls issued together share it). Read by `npm run bench`.
 */
export const redisStats = {
  roundTrips: 0,
  calls: 0,
  inFlight: 0,
  /** Failed calls by kind (errorKind), for the metrics. */
  errors: {} as Record<string, number>,
};

/**
 * Failures that mean "Redis cannot serve us now", by kind: the connection is gone or slow, or Redis answers but
 * refuses (out of memory with noeviction, a read-only replica after a failover, still loading, a busy script,
 * no master). A MULTI that Redis refused fails as EXECABORT, with the real causes in `previousErrors`.
 */
const KINDS: readonly [string, RegExp][] = [
  ['timeout', /ETIMEDOUT|Command timed out/],
  ['connection', /Stream isn't writeable|Connection is closed|ECONNREFUSED|ECONNRESET|max retries|enableOfflineQueue/],
  ['oom', /OOM command not allowed/],
  ['readonly', /READONLY/],
  ['loading', /LOADING/],
  ['busy', /\bBUSY\b/], // not BUSYGROUP (a consumer group that exists)
  ['failover', /MASTERDOWN|NOREPLICAS|CLUSTERDOWN|TRYAGAIN/],
  ['misconf', /MISCONF/],
];

/** Which failure this is: the first of KINDS that matches it, else `other` (a bug, not an outage). */
export function errorKind(err: Error): string {
  const causes = (err as Error & { previousErrors?: Error[] }).previousErrors ?? [];
  for (const [kind, re] of KINDS) if ([err, ...causes].some((e) => re.test(e.message))) return kind;
  return 'other';
}

/**
 * A write that must be on `replicas` replicas before anyone is told of it (a failover promotes one of them):
 * WAIT goes out in the same round trip, and fewer replicas within the timeout fail as NOREPLICAS ("temporarily
 * unavailable"; the write may still be on the primary, and a retry finds whichever state survived).
 */
export async function replicated<T>(redis: Redis, write: (conn: Redis) => Promise<T>): Promise<T> {
  const w = replication.get(redis);
  if (!w) return write(redis);
  const [result, acked] = await Promise.all([write(w.conn), w.conn.wait(w.replicas, w.timeoutMs)]);
  if (acked < w.replicas) throw new Error(`NOREPLICAS the write reached ${acked} of ${w.replicas} replicas within ${w.timeoutMs} ms`);
  return result;
}

/** Run a Redis call, turning every "Redis cannot serve us now" into UnavailableError (the user hears "try again shortly"). */
export async function guarded<T>(call: () => Promise<T>, opts: { readonly background?: boolean } = {}): Promise<T> {
  // A background read that waits on its own connection (the outbox's) is no round trip anyone waits for.
  const counted = !opts.background;
  if (counted) {
    redisStats.calls++;
    if (redisStats.inFlight++ === 0) redisStats.roundTrips++;
  }
  try {
    return await call();
  } catch (err) {
    const kind = err instanceof Error ? errorKind(err) : 'other';
    redisStats.errors[kind] = (redisStats.errors[kind] ?? 0) + 1;
    if (err instanceof Error && kind !== 'other') throw new UnavailableError(err);
    throw err;
  } finally {
    if (counted) redisStats.inFlight--;
  }
}
