// The kit's backend on the real store: every port on a real Redis (one logical database, flushed per
// transcript) and card payments through the real stripe SDK against the local stand-in.
import type { Backend } from '../kit/kit.js';
import { monthOf } from '../../src/domain/months.js';
import { startStripeStandin, type Standin } from '../../src/dev/stripe-standin.js';
import { stripeGateway } from '../../src/payments/stripe.js';
import { keys } from '../../src/store/keys.js';
import { NumberStore } from '../../src/store/numbers.js';
import { connectRedis, type Redis } from '../../src/store/redis.js';
import { redisPorts } from '../../src/store/ports.js';

process.env.STRIPE_SUPPRESS_NOTICES = 'true';

export interface RedisBackends {
  /** A fresh backend: the database emptied. */
  fresh(): Promise<Backend>;
  close(): Promise<void>;
}

/**
 * A registered account as a deployment holds it: `tel` out of the inventory and pointing at `jid` (both ways),
 * in use since `since`, with a plan per month offset from `now`'s month (0 = this month).
 */
export async function writeAccount(
  redis: Redis,
  jid: string,
  tel: string,
  since: string,
  plans: Iterable<readonly [number, string]>,
  now: Date,
): Promise<void> {
  const m = redis
    .multi()
    .zrem(keys.numbersAvailable, tel)
    .set(keys.catapultJid(tel), jid)
    .set(keys.jidNumber(jid), tel)
    .set(keys.usageStartDay(tel), since);
  for (const [offset, plan] of plans) m.set(keys.planAsOf(monthOf(now, offset), jid), plan);
  await m.exec();
}

export async function redisBackends(url: string): Promise<RedisBackends> {
  const redis: Redis = await connectRedis(url, { info: () => {}, warn: (m) => console.warn(m), error: (m) => console.error(m) });
  let clock: () => Date = () => new Date();
  const stripe: Standin = await startStripeStandin({ now: () => clock() });
  const gateway = stripeGateway({ secretKey: 'sk_test_golden', webhookSecret: 'whsec_golden', apiUrl: new URL(stripe.url) }, console);
  const numbers = new NumberStore(redis);
  return {
    async fresh() {
      await redis.flushdb();
      stripe.created.length = 0;
      return {
        ports: { ...redisPorts(redis), numbers },
        gateway,
        useClock(now) {
          clock = now;
        },
        async drainOutbox() {
          const entries = (await redis.xrange(keys.outbox, '-', '+')) as [string, string[]][];
          if (entries.length) await redis.xdel(keys.outbox, ...entries.map(([id]) => id));
          return entries.map(([, f]) => ({ to: f[f.indexOf('to') + 1] ?? '', body: f[f.indexOf('body') + 1] ?? '' }));
        },
        lastCheckout() {
          const s = stripe.created.at(-1)?.session;
          return s ? { id: s.id, paymentId: s.metadata.payment ?? '', amount: s.amount_total, currency: s.currency } : undefined;
        },
        seed: {
          async numbers(rows) {
            await numbers.import(rows);
          },
          async account(jid, tel, since, plans, at) {
            await writeAccount(redis, jid, tel, since, plans, at);
          },
          async balance(jid, minor) {
            await redis.set(keys.balancePrepaid(jid), String(minor));
          },
        },
      };
    },
    async close() {
      await stripe.stop();
      redis.disconnect();
    },
  };
}
