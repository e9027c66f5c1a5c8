// The monthly rollover run: every account of the index, page by page, decided (domain/rollover.ts) and applied
// (one script each, with the month's marker). Idempotent and resumable: a second run, or a run after one that
// was killed half way, charges nobody twice and finishes the rest.
import type { Catalogue } from '../domain/catalogue.js';
import { daysLeft, shiftMonth, yyyymm } from '../domain/months.js';
import { dueNotices } from '../domain/notices.js';
import type { RolloverPort } from '../domain/ports.js';
import { decideRelease } from '../domain/release.js';
import { decideRollover, type RolloverDecision, type RolloverRules } from '../domain/rollover.js';

export interface RolloverOptions extends WalkOptions {
  /** Decide and count, write nothing. */
  readonly dryRun?: boolean;
  /** Each account decided (and applied, unless dry): for --verbose. */
  readonly onAccount?: (jid: string, decision: RolloverDecision, applied: 'ok' | 'done' | 'stale' | 'dry') => void;
}

export interface RolloverReport {
  readonly month: string;
  readonly accounts: number;
  /** Accounts per outcome: charged, short, ended, trial-second, trial-ended, and the skips (done, inactive…). */
  readonly outcomes: Readonly<Record<string, number>>;
  /** Minor units taken from balances, per currency. */
  readonly charged: Readonly<Record<string, number>>;
  readonly notices: number;
  /** It stopped before the end of the index (asked to): not every account was seen. */
  readonly stopped?: true;
}

/** A decision applied when what it was made on changed is read and decided again, this many times at most. */
const RETRIES = 3;

/** How a walk of the accounts index goes: page size, and when to stop early (it is resumable). */
export interface WalkOptions {
  /** Accounts per page of the index (SSCAN COUNT) and per round trip of reads. */
  readonly pageSize?: number;
  /** Asked between pages: true stops the walk there. */
  readonly stopped?: () => boolean;
}

/** Every page of the accounts index, in turn; true when it stopped early because it was asked to. */
async function walk(port: RolloverPort, o: WalkOptions, each: (jids: readonly string[]) => Promise<void>): Promise<boolean> {
  let cursor = '0';
  do {
    const page = await port.page(cursor, o.pageSize ?? 500);
    cursor = page.cursor;
    await each(page.jids);
    if (cursor !== '0' && o.stopped?.()) return true;
  } while (cursor !== '0');
  return false;
}

export async function runRollover(
  port: RolloverPort,
  month: string,
  rules: RolloverRules,
  o: RolloverOptions = {},
): Promise<RolloverReport> {
  const outcomes: Record<string, number> = {};
  const count = (k: string) => {
    outcomes[k] = (outcomes[k] ?? 0) + 1;
  };
  let accounts = 0;
  const charged: Record<string, number> = {};
  const charge = (d: Exclude<RolloverDecision, { kind: 'skip' }>) => {
    if (d.charge) charged[d.currency] = (charged[d.currency] ?? 0) + d.charge;
  };
  let notices = 0;
  const stopped = await walk(port, o, async (jids) => {
    // SSCAN may return a member twice over a walk: each is decided on its own facts, and its marker stops a second charge.
    const facts = await port.facts(jids, month);
    await Promise.all(
      facts.map(async (first) => {
        accounts++;
        let f = first;
        for (let attempt = 0; ; attempt++) {
          const d = decideRollover(f, month, rules);
          if (d.kind === 'skip') {
            count(d.why === 'done' ? 'done' : `skip:${d.why}`);
            o.onAccount?.(f.jid, d, 'dry');
            return;
          }
          if (o.dryRun) {
            count(d.kind);
            charge(d);
            notices += d.notices.length;
            o.onAccount?.(f.jid, d, 'dry');
            return;
          }
          const r = await port.apply(f.jid, month, d);
          if (r === 'ok') {
            count(d.kind);
            charge(d);
            notices += d.notices.length;
          } else if (r === 'done') count('done');
          if (r !== 'stale' || attempt >= RETRIES) {
            if (r === 'stale') count('stale');
            o.onAccount?.(f.jid, d, r);
            return;
          }
          const [again] = await port.facts([f.jid], month);
          if (!again) return;
          f = again;
        }
      }),
    );
  });
  return { month, accounts, outcomes, charged, notices, ...(stopped ? { stopped: true as const } : {}) };
}

/** The notices due today (a week before the month ends, and on its last day), each queued once. */
export async function runNotices(
  port: RolloverPort,
  now: Date,
  catalogue: Catalogue,
  o: WalkOptions = {},
): Promise<{ readonly queued: number; readonly stopped?: true }> {
  if (daysLeft(now) > 7) return { queued: 0 };
  const next = shiftMonth(yyyymm(now), 1);
  let queued = 0;
  const stopped = await walk(port, o, async (jids) => {
    const facts = await port.facts(jids, next);
    const sent = await Promise.all(facts.flatMap((f) => dueNotices(f, now, catalogue).map((n) => port.noticeOnce(f.jid, n))));
    queued += sent.filter(Boolean).length;
  });
  return { queued, ...(stopped ? { stopped: true as const } : {}) };
}

/**
 * Numbers of accounts that ended `afterDays` ago go back to the inventory (0: never), with notices 7 days and
 * 1 day before, each once. Only numbers the bot gave (JMP's own accounts, and leaves, are left alone).
 */
export async function runReleases(
  port: RolloverPort,
  now: Date,
  afterDays: number,
  o: WalkOptions = {},
): Promise<{ readonly released: number; readonly noticed: number; readonly stopped?: true }> {
  if (afterDays <= 0) return { released: 0, noticed: 0 };
  const month = yyyymm(now);
  // Enough months back to see when an account that ended afterDays ago (and a little more) had its last plan.
  const back = Math.ceil(afterDays / 28) + 1;
  let released = 0;
  let noticed = 0;
  const stopped = await walk(port, o, async (jids) => {
    const facts = await port.releaseFacts(jids, month, back);
    await Promise.all(
      facts.map(async (f) => {
        const d = decideRelease(f, now, afterDays);
        if (d.kind === 'release') {
          if (await port.release(f.jid, d.tel, month, d.text, d.endedBy)) released++;
        } else if (d.kind === 'notice') {
          const n = { kind: 'number-release' as const, stage: d.stage, month: d.on.slice(0, 7).replace('-', ''), to: f.jid, text: d.text };
          if (await port.noticeOnce(f.jid, n)) noticed++;
        }
      }),
    );
  });
  return { released, noticed, ...(stopped ? { stopped: true as const } : {}) };
}
