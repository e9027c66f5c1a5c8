// The Redis connection: fail fast while Redis is away (users are told to retry), reconnect forever in the background.
import { Redis } from 'ioredis';
import { UnavailableError } from '../domain/errors.js';
import type { Log } from '../domain/ports.js';

export type { Redis };

export async function connectRedis(url: string, log: Log): Promise<Redis> {
  const redis = new Redis(url, {
    // A command fails at once while disconnected instead of waiting ~73 s in the offline queue.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    lazyConnect: true,
    // Commands issued in the same tick (Promise.all) share one write: one round trip.
    enableAutoPipelining: true,
    retryStrategy: (times) => Math.min(times * 200, 5000),
  });
  let down = false;
  redis.on('error', (err: Error) => {
    if (!down) log.warn(`redis: ${err.message}`, { event: 'redis.error' });
    down = true;
  });
  redis.on('ready', () => {
    if (down) log.info('redis: connected again', { event: 'redis.ready' });
    down = false;
  });
  await redis.connect();
  return redis;
}

/**
 * Round trips as a person waits for them: a call that starts while none is in flight opens a new one
 * (calls issued together are auto-pipelined). Read by `npm run bench`.
 */
export const redisStats = { roundTrips: 0, calls: 0, inFlight: 0 };

/**
 * Failures that mean "Redis cannot serve us now": the connection is gone or slow, or Redis answers but refuses
 * (out of memory with noeviction, a read-only replica after a failover, still loading, a busy script, no master).
 */
const UNAVAILABLE =
  /Stream isn't writeable|Connection is closed|ECONNREFUSED|max retries|enableOfflineQueue|ETIMEDOUT|ECONNRESET|Command timed out|OOM command not allowed|READONLY|LOADING|BUSY|MASTERDOWN|NOREPLICAS|CLUSTERDOWN|TRYAGAIN|MISCONF/;

/** A MULTI that Redis refused (OOM, READONLY…) fails as EXECABORT, with the real causes in `previousErrors`. */
function unavailable(err: Error): boolean {
  const causes = (err as Error & { previousErrors?: Error[] }).previousErrors ?? [];
  return [err, ...causes].some((e) => UNAVAILABLE.test(e.message));
}

/** Run a Redis call, turning every "Redis cannot serve us now" into UnavailableError (the user hears "try again shortly"). */
export async function guarded<T>(call: () => Promise<T>): Promise<T> {
  redisStats.calls++;
  if (redisStats.inFlight++ === 0) redisStats.roundTrips++;
  try {
    return await call();
  } catch (err) {
    if (err instanceof Error && unavailable(err)) throw new UnavailableError(err);
    throw err;
  } finally {
    redisStats.inFlight--;
  }
}
