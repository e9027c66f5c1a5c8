// The bot's daily billing jobs (the rollover, and the notices due that day), once a day from a configured UTC
// hour, and at start when that day's run was missed. With several bot processes one runs them: a lease in
// Redis, renewed while the jobs run, that a crashed holder loses after a minute.
import type { Clock, Lease, Log } from '../domain/ports.js';

/** Whether a job ran (`daily-YYYY-MM-DD`, `rollover-YYYYMM`), and saying it did, for `ttlSeconds`. */
export interface JobMarks {
  ran(job: string): Promise<boolean>;
  markRan(job: string, ttlSeconds: number): Promise<void>;
}

export interface SchedulerOptions {
  /** The UTC hour (0–23) from which a day's jobs are due. */
  readonly hourUtc: number;
  readonly now: Clock;
  readonly lease: Lease;
  readonly holder: string;
  readonly marks: JobMarks;
  /** The day's jobs: `day` is YYYY-MM-DD (UTC); `stopping` turns true when the process stops (end early). */
  readonly jobs: (day: string, stopping: () => boolean) => Promise<void>;
  /**
   * The month's job (the rollover into it), due from 00:00 UTC on its 1st whatever the daily hour: until it
   * ran, nobody has a plan for the new month. It marks itself done (`rollover-YYYYMM`).
   */
  readonly monthly?: (month: string, stopping: () => boolean) => Promise<void>;
  readonly log: Log;
}

const LEASE_MS = 60_000;
const RENEW_MS = 20_000;
export const CHECK_EVERY_MS = 60_000;

/** The day (YYYY-MM-DD, UTC) whose jobs are due now: today once its hour has come, else yesterday. */
export function dueDay(now: Date, hourUtc: number): string {
  const d = new Date(now.getTime() - hourUtc * 3_600_000);
  return d.toISOString().slice(0, 10);
}

export class Scheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopping = false;

  constructor(private readonly o: SchedulerOptions) {}

  /** Look now (a missed run is made up at start), then every minute. */
  start(): void {
    void this.tick();
    this.timer = setInterval(() => void this.tick(), CHECK_EVERY_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    await this.running;
  }

  /** Run the due day's jobs if they have not run and this process gets the lease; true if it ran them. */
  async tick(): Promise<boolean> {
    if (this.running || this.stopping) return false;
    let ran = false;
    this.running = (async () => {
      const now = this.o.now();
      const day = dueDay(now, this.o.hourUtc);
      const month = dueDay(now, 0).slice(0, 7).replace('-', '');
      const monthlyDue = async () => this.o.monthly !== undefined && !(await this.o.marks.ran(`rollover-${month}`));
      try {
        if ((await this.o.marks.ran(`daily-${day}`)) && !(await monthlyDue())) return;
        if (!(await this.o.lease.acquire(this.o.holder, LEASE_MS))) return;
        const renew = setInterval(() => void this.o.lease.acquire(this.o.holder, LEASE_MS).catch(() => undefined), RENEW_MS);
        try {
          if (this.o.monthly && (await monthlyDue())) {
            this.o.log.info(`billing: the rollover into ${month}`, { event: 'billing.monthly', month });
            await this.o.monthly(month, () => this.stopping);
            if (this.stopping) return;
          }
          // Another process may have finished them between the look and the lease.
          if (await this.o.marks.ran(`daily-${day}`)) return;
          this.o.log.info(`billing: the daily jobs of ${day}`, { event: 'billing.daily', day });
          await this.o.jobs(day, () => this.stopping);
          if (this.stopping) return; // ended early: the next start finishes them
          await this.o.marks.markRan(`daily-${day}`, 3 * 86_400);
          ran = true;
        } finally {
          clearInterval(renew);
          await this.o.lease.release(this.o.holder).catch(() => undefined);
        }
      } catch (err) {
        // Tried again at the next check: every job is idempotent.
        this.o.log.warn(`billing: the daily jobs of ${day} stopped: ${(err as Error).message}`, { event: 'billing.failed', day });
      }
    })();
    try {
      await this.running;
    } finally {
      this.running = undefined;
    }
    return ran;
  }
}

/** The rollover into `month`, once (then only its mark is read). */
export async function monthlyRollover(
  month: string,
  marks: JobMarks,
  run: (month: string) => Promise<{ readonly outcomes: Readonly<Record<string, number>>; readonly stopped?: true }>,
): Promise<void> {
  if (await marks.ran(`rollover-${month}`)) return;
  const report = await run(month);
  // Stopped half way, or accounts that kept changing under it: the next run goes on.
  if (!report.stopped && !report.outcomes.stale) await marks.markRan(`rollover-${month}`, 40 * 86_400);
}
