// The process's metrics in Prometheus text format (prom-client): what the runtime and the web server count
// (the Metrics port), the state of the XMPP and Redis links read at each scrape, Redis errors by kind, and
// Node's own process metrics. The only importer of prom-client; one registry per bot (tests run several).
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Metrics } from './domain/ports.js';
import { redisStats } from './store/redis.js';

/** What is read at each scrape: the links' states, as their libraries name them. */
export interface Probes {
  /** `online` when the component is connected; `standby` while another process holds the domain (Prosody). */
  readonly xmpp: () => string;
  /** `ready` when Redis answers. */
  readonly redis: () => string;
  /** The outbox's length and the time its oldest message was written (ms). */
  readonly outbox?: () => Promise<{ readonly count: number; readonly oldestMs?: number }>;
}

export interface BotMetrics {
  /** What the runtime and the web server count. */
  readonly port: Metrics;
  /** The scrape: Prometheus text and its content type. */
  scrape(): Promise<{ readonly contentType: string; readonly body: string }>;
}

/** Steps are a few ms; a Stripe call with its retries can take seconds. */
const STEP_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function botMetrics(probes: Probes): BotMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const steps = new Counter({
    name: 'jmp_bot_steps_total',
    help: 'Stanzas handled (an ad-hoc command request or a chat message), by UI, command and outcome',
    labelNames: ['ui', 'command', 'outcome'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'jmp_bot_step_duration_seconds',
    help: 'Time from a stanza read to its reply ready (session stored), by UI',
    labelNames: ['ui'] as const,
    buckets: STEP_BUCKETS,
    registers: [registry],
  });
  const sessions = new Counter({
    name: 'jmp_bot_sessions_total',
    help: 'Sessions started, ended (finished, cancelled, replaced) and expired (found timed out)',
    labelNames: ['event'] as const,
    registers: [registry],
  });
  const webhooks = new Counter({
    name: 'jmp_bot_webhooks_total',
    help: 'Stripe webhooks by event type (unverified: a bad or missing signature) and outcome',
    labelNames: ['type', 'outcome'] as const,
    registers: [registry],
  });
  const rolloverRuns = new Counter({
    name: 'jmp_bot_rollover_runs_total',
    help: 'Monthly rollover runs by result (ok, failed: it is tried again at the next check)',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  const rolloverAccounts = new Counter({
    name: 'jmp_bot_rollover_accounts_total',
    help: 'Accounts seen by rollover runs, by outcome (charged, short, ended, trial-second, trial-ended, done, skip:…)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const deadlines = new Counter({
    name: 'jmp_bot_deadlines_total',
    help: 'Deadlines acted on (bot-deadlines), by kind (hold, payment) and outcome (lapsed, moved, held, done, later, failed, …)',
    labelNames: ['kind', 'outcome'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'jmp_bot_xmpp_connected',
    help: '1 while the component is connected to the XMPP server',
    registers: [registry],
    collect() {
      this.set(probes.xmpp() === 'online' ? 1 : 0);
    },
  });
  new Gauge({
    name: 'jmp_bot_xmpp_standby',
    help: '1 while this process stands by because another holds the component domain',
    registers: [registry],
    collect() {
      this.set(probes.xmpp() === 'standby' ? 1 : 0);
    },
  });
  new Gauge({
    name: 'jmp_bot_redis_connected',
    help: '1 while the Redis connection is ready',
    registers: [registry],
    collect() {
      this.set(probes.redis() === 'ready' ? 1 : 0);
    },
  });
  const outbox = probes.outbox;
  if (outbox) {
    new Gauge({
      name: 'jmp_bot_outbox_messages',
      help: 'Messages decided and not yet sent (the bot-outbox stream)',
      registers: [registry],
      async collect() {
        this.set((await outbox().catch(() => ({ count: Number.NaN }))).count);
      },
    });
    new Gauge({
      name: 'jmp_bot_outbox_oldest_seconds',
      help: 'Age of the oldest message waiting in the outbox (0 when none)',
      registers: [registry],
      async collect() {
        const d = await outbox().catch(() => undefined);
        this.set(d?.oldestMs === undefined ? 0 : Math.max(0, (Date.now() - d.oldestMs) / 1000));
      },
    });
  }
  new Counter({
    name: 'jmp_bot_redis_errors_total',
    help: 'Redis calls that failed, by kind (connection, timeout, oom, readonly, loading, busy, failover, other)',
    labelNames: ['kind'] as const,
    registers: [registry],
    collect() {
      // The store counts per process; a counter only goes up, so the difference since the last scrape is added.
      for (const [kind, n] of Object.entries(redisStats.errors)) {
        const seen = this.labels(kind);
        const had = countedErrors.get(kind) ?? 0;
        if (n > had) seen.inc(n - had);
        countedErrors.set(kind, n);
      }
    },
  });
  const countedErrors = new Map<string, number>();
  return {
    port: {
      step: (s) => {
        steps.inc({ ui: s.ui, command: s.command, outcome: s.outcome });
        latency.observe({ ui: s.ui }, s.seconds);
      },
      session: (event) => sessions.inc({ event }),
      webhook: (type, outcome) => webhooks.inc({ type, outcome }),
      rollover: (result, outcomes) => {
        rolloverRuns.inc({ result });
        for (const [outcome, n] of Object.entries(outcomes)) rolloverAccounts.inc({ outcome }, n);
      },
      deadlines: (outcomes) => {
        for (const [key, n] of Object.entries(outcomes)) {
          const [kind = '', outcome = ''] = key.split(':');
          deadlines.inc({ kind, outcome }, n);
        }
      },
    },
    scrape: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
  };
}
