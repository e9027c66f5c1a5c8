// Usage of a number, from the hashes the SMS/voice gateway writes (usage_day-NUMBER-YYYYMMDD): every day of a range
// in one round trip.
import type { Redis } from 'ioredis';
import type { UsagePort } from '../domain/ports.js';
import { type DayUsage, daysOf, USAGE_KINDS, type UsageKind } from '../domain/usage.js';
import { keys } from './keys.js';
import { guarded } from './redis.js';

/** A count as the gateway wrote it; anything that is not a whole number counts as 0. */
const count = (v: string | null) => (v && /^\d+$/.test(v) ? Number(v) : 0);

export class UsageStore implements UsagePort {
  constructor(private readonly redis: Redis) {}

  async days(tel: string, from: string, to: string): Promise<DayUsage[]> {
    const days = daysOf(from, to);
    const p = this.redis.pipeline();
    for (const day of days) p.hmget(keys.usageDay(tel, day), ...USAGE_KINDS);
    const r = await guarded(() => p.exec());
    return days.map((day, i) => {
      const [err, v] = r?.[i] ?? [];
      // A key of another type (not the gateway's hash) reads as nothing counted, not as an error for the person.
      const values = !err && Array.isArray(v) ? (v as (string | null)[]) : [];
      return { day, ...(Object.fromEntries(USAGE_KINDS.map((k, j) => [k, count(values[j] ?? null)])) as Record<UsageKind, number>) };
    });
  }

  async record(tel: string, kind: UsageKind, n: number, day: string): Promise<number> {
    return guarded(() => this.redis.hincrby(keys.usageDay(tel, day), kind, n));
  }
}
