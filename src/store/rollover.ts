// The monthly rollover on Redis: the accounts index walked with SSCAN (never KEYS), one batch's facts read in
// one round trip (two for mains with leaves), and each decision applied by one Lua script with its marker.
import type { Redis } from 'ioredis';
import type { RolloverPort } from '../domain/ports.js';
import type { DueNotice } from '../domain/notices.js';
import type { ReleaseFacts } from '../domain/release.js';
import type { RolloverDecision, RolloverFacts } from '../domain/rollover.js';
import { shiftMonth } from '../domain/months.js';
import { readLeafOf } from './accounts.js';
import { keys } from './keys.js';
import { guarded } from './redis.js';
import { scripts } from './scripts.js';

/** A month's markers outlive the month by far: a run for an old month still finds them. */
const MARKER_TTL_SECONDS = 400 * 86_400;

/** Which scheduled jobs finished (billing/scheduler.ts). */
export class JobMarkStore {
  constructor(private readonly redis: Redis) {}
  async ran(job: string): Promise<boolean> {
    return (await guarded(() => this.redis.exists(keys.ran(job)))) === 1;
  }
  async markRan(job: string, ttlSeconds: number): Promise<void> {
    await guarded(() => this.redis.set(keys.ran(job), '1', 'EX', ttlSeconds));
  }
}

export class RolloverStore implements RolloverPort {
  constructor(private readonly redis: Redis) {}

  async page(cursor: string, count: number): Promise<{ readonly cursor: string; readonly jids: readonly string[] }> {
    const [next, jids] = await guarded(() => this.redis.sscan(keys.accounts, cursor, 'COUNT', count));
    return { cursor: next, jids };
  }

  async facts(jids: readonly string[], month: string): Promise<RolloverFacts[]> {
    const last = shiftMonth(month, -1);
    const own = await guarded(() =>
      Promise.all(
        jids.map((jid) =>
          Promise.all([
            this.redis.get(keys.planAsOf(last, jid)),
            this.redis.get(keys.planAsOf(month, jid)),
            this.redis.get(keys.balancePrepaid(jid)),
            this.redis.exists(keys.leafMain(jid)),
            this.redis.get(keys.leafJidsIndex(jid)),
            this.redis.get(keys.rolloverDone(month, jid)),
          ]),
        ),
      ),
    );
    // Mains with a plan last month: their leaves, in the order added, and those leaves' plans.
    const lists = await guarded(() =>
      Promise.all(own.map(([lastPlan, , , , n]) => (lastPlan && n ? this.redis.lrange(keys.leafJids(n), 1, -1) : Promise.resolve([])))),
    );
    const leafPlans = await guarded(() =>
      Promise.all(
        lists.map((leaves) =>
          Promise.all(
            leaves.map((l) =>
              Promise.all([
                this.redis.get(keys.planAsOf(last, l)),
                this.redis.get(keys.planAsOf(month, l)),
                this.redis.get(keys.leafMain(l)),
              ]),
            ),
          ),
        ),
      ),
    );
    /** Whether a leaf's reverse index names this main (a list another tool wrote may hold someone else's leaf). */
    const names = (raw: string | null | undefined, main: string) => {
      try {
        return raw ? readLeafOf(raw).main === main : false;
      } catch {
        return false; // unreadable: not this main's to pay for
      }
    };
    return jids.map((jid, i) => {
      const [lastPlan, current, balance, isLeaf, , done] = own[i] as [
        string | null,
        string | null,
        string | null,
        number,
        string | null,
        string | null,
      ];
      // Only its own leaves: one whose reverse index names another main is not this main's to pay or end.
      const leaves = (lists[i] ?? [])
        .map((l, j) => ({ l, plans: leafPlans[i]?.[j] ?? [null, null, null] }))
        .filter((x) => x.l !== jid && names(x.plans[2], jid));
      return {
        jid,
        ...(lastPlan ? { last: lastPlan } : {}),
        ...(current ? { current } : {}),
        ...(balance !== null && /^-?\d+$/.test(balance) ? { balance: Number(balance) } : {}),
        ...(balance !== null && !/^-?\d+$/.test(balance) ? { badBalance: true as const } : {}),
        isLeaf: isLeaf === 1,
        leaves: leaves.map(({ l, plans: [lp, cp] }) => ({ jid: l, ...(lp ? { last: lp } : {}), ...(cp ? { current: cp } : {}) })),
        ...(done ? { done } : {}),
      };
    });
  }

  async releaseFacts(jids: readonly string[], month: string, back: number): Promise<ReleaseFacts[]> {
    const months = Array.from({ length: back + 1 }, (_, i) => shiftMonth(month, -i));
    const rows = await guarded(() =>
      Promise.all(
        jids.map((jid) =>
          Promise.all([
            this.redis.get(keys.jidNumber(jid)),
            this.redis.exists(keys.leafMain(jid)),
            this.redis.exists(keys.paymentOpen(jid)),
            ...months.map((m) => this.redis.get(keys.planAsOf(m, jid))),
            ...months.map((m) => this.redis.get(keys.rolloverDone(m, jid))),
          ]),
        ),
      ),
    );
    const tels = rows.map((r) => r[0] as string | null);
    const owners = await guarded(() => Promise.all(tels.map((t) => (t ? this.redis.get(keys.catapultJid(t)) : Promise.resolve(null)))));
    return jids.map((jid, i) => {
      const [tel, isLeaf, paying, ...rest] = rows[i] as [string | null, number, number, ...(string | null)[]];
      const plans = rest.slice(0, months.length).map((p) => p ?? undefined);
      const outcomes = rest.slice(months.length).map((o) => o ?? undefined);
      // A leaf's months are its main's to decide; a number not pointing back is not this account's.
      const ours = tel && owners[i] === jid && isLeaf === 0;
      return { jid, month, ...(ours ? { tel } : {}), plans, outcomes, ...(paying ? { paying: true } : {}) };
    });
  }

  async release(jid: string, tel: string, month: string, text: string, endedMonth: string): Promise<boolean> {
    const r = await scripts.releaseNumber.run(
      this.redis,
      [
        keys.catapultJid(tel),
        keys.jidNumber(jid),
        keys.planAsOf(month, jid),
        keys.numbersAvailable,
        keys.numbersByPlace,
        keys.numbersInfo,
        keys.accounts,
        keys.usageStartDay(tel),
        keys.outbox,
        keys.rolloverDone(endedMonth, jid),
        keys.paymentOpen(jid),
      ],
      [jid, tel, text],
    );
    return r === 1;
  }

  async noticeOnce(jid: string, n: DueNotice): Promise<boolean> {
    const r = await scripts.noticeOnce.run(
      this.redis,
      [keys.noticeSent(n.kind, n.stage, n.month, jid), keys.outbox],
      [n.to, n.text, `notice-${n.kind}-${n.stage}-${n.month}`, 40 * 86_400],
    );
    return r === 1;
  }

  async apply(jid: string, month: string, d: Exclude<RolloverDecision, { kind: 'skip' }>): Promise<'ok' | 'done' | 'stale'> {
    const notices = d.notices.flatMap((n) => [n.to, n.text]);
    // The leaves it pays for this month must still be its own when it pays (one may have left meanwhile).
    const leaves = d.writes.filter((w) => w.jid !== jid).map((w) => keys.leafMain(w.jid));
    return (await scripts.rolloverApply.run(
      this.redis,
      [
        keys.rolloverDone(month, jid),
        keys.balancePrepaid(jid),
        keys.outbox,
        ...d.writes.map((w) => keys.planAsOf(month, w.jid)),
        ...d.ended.map((e) => keys.planAsOf(month, e)),
        ...leaves,
      ],
      [
        d.expectBalance,
        d.charge,
        d.kind,
        MARKER_TTL_SECONDS,
        d.writes.length,
        ...d.writes.map((w) => w.plan),
        month,
        d.ended.length,
        leaves.length,
        jid,
        ...notices,
      ],
    )) as 'ok' | 'done' | 'stale';
  }
}
