// Builds the dependencies and starts the component: used by main.ts, the demo and the integration tests.
import { randomBytes } from 'node:crypto';
import { assemble } from './assemble.js';
import { randomBase64url } from './random.js';
import { codeFromBytes } from './domain/codes.js';
import { logFromEnv } from './log.js';
import { botMetrics } from './metrics.js';
import { type Config, ConfigError } from './config.js';
import type { Log } from './domain/ports.js';
import { stripeGateway } from './payments/stripe.js';
import type { Runtime } from './runtime/runtime.js';
import { connectRedis } from './store/redis.js';
import { keys } from './store/keys.js';
import { LeaseStore } from './store/leases.js';
import { OutboxStore } from './store/outbox.js';
import { redisPorts } from './store/ports.js';
import { listen, metricsHandler, startWeb, type WebServer } from './web/server.js';
import { type Connection, connect } from './xmpp/connection.js';
import { startOutboxSender } from './xmpp/outbox-sender.js';
import { runNotices, runReleases, runRollover } from './billing/rollover.js';
import { DeadlineRunner } from './billing/deadlines.js';
import { monthlyRollover, Scheduler } from './billing/scheduler.js';
import { DeadlineStore } from './store/deadlines.js';
import { JobMarkStore, RolloverStore } from './store/rollover.js';

/** An unguessable id: session ids, message ids, payment link tokens. */
export const randomId = () => randomBase64url(12);

/** A referral code: 10 letters from 30, each from one random byte (32 bytes leave room for the bytes skipped). */
export function randomCode(): string {
  for (;;) {
    const code = codeFromBytes(randomBytes(32));
    if (code) return code;
  }
}

export interface Bot {
  readonly runtime: Runtime;
  readonly connection: Connection;
  /** The HTTP server, when HTTP_PORT is set. */
  readonly web?: WebServer;
  /** The metrics' own HTTP server, when METRICS_PORT is set. */
  readonly metricsServer?: WebServer;
  stop(): Promise<void>;
}

export interface BotOptions {
  readonly log?: Log;
  readonly now?: () => Date;
  /** Called when the XMPP server refuses the component for good (wrong secret or domain). */
  readonly onFatal?: (why: string) => void;
}

export async function startBot(config: Config, opts: BotOptions = {}): Promise<Bot> {
  const log = opts.log ?? logFromEnv(process.env, process.stdout.isTTY === true);
  const now = opts.now ?? (() => new Date());
  const redis = await connectRedis(config.redis, log, config.redisWait);
  const ports = redisPorts(redis);
  const folded = await ports.numbers.foldPlaces();
  if (folded)
    log.info(`numbers: ${folded} places re-indexed for searches that ignore case and accents`, { event: 'numbers.folded', count: folded });
  const adopted = await ports.leaves.adopt();
  if (adopted)
    log.info(`leaf accounts: ${adopted} leaves of earlier payment-leaf_jids lists indexed`, { event: 'leaves.adopted', count: adopted });
  let connection: Connection | undefined;
  /** This process, among several: its lease on the component, its name in the outbox's consumer group. */
  const processId = randomId();
  // The outbox's blocking read has a connection of its own (it would hold up every other command on the shared one).
  const blocking = redis.duplicate();
  blocking.on('error', () => undefined); // the main connection logs what goes wrong with Redis
  await blocking.connect();
  const outbox = new OutboxStore(redis, blocking);
  const metrics = botMetrics({ xmpp: () => connection?.state() ?? 'starting', redis: () => redis.status, outbox: () => outbox.depth() });
  const gateway = config.stripe ? stripeGateway(config.stripe, log) : undefined;
  if (gateway) {
    // A refused key stops the start with one clear line; Stripe out of reach for now does not.
    const key = await gateway.check();
    if (key === 'refused') {
      redis.disconnect();
      throw new ConfigError('Stripe refused STRIPE_SECRET_KEY (revoked, wrong, or lacking the Checkout Sessions permission)');
    }
    if (key === 'unreachable')
      log.warn('stripe: not reachable at start; card payments will be tried when people pay', { event: 'stripe.unreachable' });
  }
  const { runtime, payments } = assemble({
    settings: config,
    ports,
    now,
    newId: randomId,
    newCode: randomCode,
    newToken: () => randomBase64url(24),
    log,
    metrics: metrics.port,
    ...(gateway && config.web ? { card: { gateway, publicUrl: config.web.publicUrl } } : {}),
  });
  let web: WebServer | undefined;
  let metricsServer: WebServer | undefined;
  try {
    if (config.metrics) metricsServer = await listen(metricsHandler(metrics.scrape, log), config.metrics.host, config.metrics.port);
    if (config.web) {
      web = await startWeb(
        {
          ...(payments && gateway ? { payments, gateway } : {}),
          health: async () => {
            const xmpp = connection?.state() ?? 'starting';
            const redisOk = await redis.ping().then(
              () => true,
              () => false,
            );
            return { ok: xmpp === 'online' && redisOk, detail: { xmpp, redis: redisOk ? 'ok' : 'down' } };
          },
          log,
          metrics: metrics.port,
          // With a port of its own, /metrics is never on the public side.
          ...(config.metrics ? {} : { scrape: metrics.scrape }),
        },
        config.web.host,
        config.web.port,
      );
    }
    connection = await connect(
      runtime,
      {
        service: config.xmppService,
        domain: config.botJid,
        secret: config.xmppSecret,
        standby: config.standby,
        lease: { store: new LeaseStore(redis, keys.componentHolder(config.botJid)), holder: processId },
      },
      log,
      opts.onFatal ?? ((why) => log.error(why)),
    );
  } catch (err) {
    await web?.stop();
    await metricsServer?.stop();
    blocking.disconnect();
    redis.disconnect();
    throw err;
  }
  const conn = connection;
  const sender = startOutboxSender(
    outbox,
    { consumer: processId, online: () => conn.state() === 'online', deliver: (to, body, id) => conn.deliver(to, body, id), log },
    () => blocking.disconnect(),
  );
  // The daily billing jobs: whichever process gets the lease runs them (a standby too).
  const marks = new JobMarkStore(redis);
  const rollover = new RolloverStore(redis);
  const scheduler = new Scheduler({
    hourUtc: config.billing.hourUtc,
    now,
    lease: new LeaseStore(redis, keys.schedulerLock),
    holder: processId,
    marks,
    log,
    // The rollover into a month from 00:00 UTC on its 1st; the notices at the configured hour each day.
    monthly: (month, stopping) =>
      monthlyRollover(month, marks, async (m) => {
        try {
          const rules = { catalogue: config.catalogue, tellCharges: config.billing.tellCharges };
          const report = await runRollover(rollover, m, rules, { stopped: stopping });
          metrics.port.rollover('ok', report.outcomes);
          log.info(`billing: rollover into ${m}: ${JSON.stringify(report.outcomes)}`, { event: 'billing.rollover', month: m });
          return report;
        } catch (err) {
          metrics.port.rollover('failed', {});
          throw err;
        }
      }),
    jobs: async (_day, stopping) => {
      const notices = await runNotices(rollover, now(), config.catalogue, { stopped: stopping });
      if (notices.queued) log.info(`billing: ${notices.queued} notices queued`, { event: 'billing.notices', count: notices.queued });
      if (stopping()) return;
      const r = await runReleases(rollover, now(), config.billing.releaseAfterDays, { stopped: stopping });
      if (r.released || r.noticed)
        log.info(`billing: ${r.released} numbers back to the inventory, ${r.noticed} told ahead`, { event: 'billing.releases', ...r });
    },
  });
  if (config.billing.scheduler) scheduler.start();
  // Holds and payment links that lapse: every process looks (each deadline is taken by one).
  const deadlines = new DeadlineRunner({
    store: new DeadlineStore(redis),
    ...(payments ? { payments } : {}),
    now,
    log,
    holdSeconds: config.sessionTtlSeconds,
    webHoldSeconds: config.webRegister.holdSeconds,
    metrics: metrics.port,
  });
  deadlines.start();
  return {
    runtime,
    connection: conn,
    ...(web ? { web } : {}),
    ...(metricsServer ? { metricsServer } : {}),
    async stop() {
      // The XMPP side first: the outbox stops reading, the steps under way finish (and reach Redis) before Redis goes.
      // The outbox and the billing jobs stop alongside the drain, bounded: a billing run resumes at the next start.
      const background = Promise.all([sender.stop(), scheduler.stop(), deadlines.stop()]);
      await Promise.all([Promise.race([background, new Promise((r) => setTimeout(r, 300).unref())]), conn.stop()]);
      await web?.stop();
      await metricsServer?.stop();
      redis.disconnect();
    },
  };
}
