// The bot's deadlines (bot-deadlines): every few seconds the due ones are taken and acted on. Any process may run
// this; taking a deadline moves it a minute ahead, so one process acts on it, and one that dies leaves it to be
// taken again. What each does ends in one script with its message (the outbox), so a crash repeats no message.
import { holdLapsedText } from '../domain/notices.js';
import type { Clock, Deadline, DeadlinesPort, Log, Metrics } from '../domain/ports.js';

export interface DeadlineOptions {
  readonly store: DeadlinesPort;
  /** Card payments (when configured): a payment's deadline closes it if Stripe's event never came. */
  readonly payments?: { lapse(id: string): Promise<{ readonly next?: Date }> };
  readonly now: Clock;
  readonly log: Log;
  /** How long a signup holds a number (the session's life, seconds), for the message that it lapsed. */
  readonly holdSeconds: number;
  /** How long a number the web site chose is held (WEB_REGISTER_HOLD_MINUTES), likewise. */
  readonly webHoldSeconds?: number;
  readonly metrics?: Pick<Metrics, 'deadlines'>;
}

const BATCH = 100;
/** A deadline taken and not finished (the process died, Stripe was out of reach) is due again this much later. */
const RETRY_MS = 60_000;
/** Payment deadlines left by a bot that no longer takes cards: looked at again this much later. */
const NO_CARDS_MS = 3_600_000;
export const EVERY_MS = 5_000;

export class DeadlineRunner {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopping = false;

  constructor(private readonly o: DeadlineOptions) {}

  start(everyMs = EVERY_MS): void {
    this.timer = setInterval(() => void this.tick(), everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    await this.running;
  }

  /** Act on every deadline due now; how many came to what. */
  async tick(): Promise<Record<string, number>> {
    if (this.running || this.stopping) return {};
    const counts: Record<string, number> = {};
    const run = (async () => {
      for (;;) {
        const { due, unreadable } = await this.o.store.take(this.o.now(), BATCH, RETRY_MS);
        for (const m of unreadable) {
          this.o.log.warn(`deadlines: ${JSON.stringify(m)} is not a deadline this bot wrote; dropped`, { event: 'deadline.unreadable' });
          await this.o.store.done(m);
        }
        for (const d of due) {
          const outcome = await this.act(d).catch((err: unknown) => {
            // Taken again after RETRY_MS: every action is idempotent.
            this.o.log.warn(`deadlines: ${d.member}: ${(err as Error).message}`, { event: 'deadline.failed' });
            return 'failed';
          });
          const key = `${d.kind}:${outcome}`;
          counts[key] = (counts[key] ?? 0) + 1;
        }
        if (due.length + unreadable.length < BATCH || this.stopping) return;
      }
    })();
    this.running = run;
    try {
      await run;
    } catch (err) {
      this.o.log.warn(`deadlines: ${(err as Error).message}`, { event: 'deadline.failed' });
    } finally {
      this.running = undefined;
    }
    if (Object.keys(counts).length) this.o.metrics?.deadlines(counts);
    return counts;
  }

  private async act(d: Deadline): Promise<string> {
    const now = this.o.now();
    if (d.kind === 'hold')
      return this.o.store.hold(d, now, (n) =>
        holdLapsedText(n, d.holder.startsWith('web:') ? (this.o.webHoldSeconds ?? this.o.holdSeconds) : this.o.holdSeconds),
      );
    if (!this.o.payments) {
      await this.o.store.later(d.member, new Date(now.getTime() + NO_CARDS_MS));
      return 'no-cards';
    }
    const r = await this.o.payments.lapse(d.id);
    if (r.next) {
      await this.o.store.later(d.member, r.next);
      return 'later';
    }
    // Closed (the close took the deadline out with it), or nothing left to do.
    await this.o.store.done(d.member);
    return 'done';
  }
}
