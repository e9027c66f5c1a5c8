// The number inventory: listing, searching, reserving and importing numbers.
import type { Redis } from 'ioredis';
import { foldPlace } from '../domain/phone.js';
import type { Hold, NumberInfo, NumberQuery, NumbersPort } from '../domain/ports.js';
import { claimCall } from './claims.js';
import { holdDeadline } from './deadlines.js';
import { keys } from './keys.js';
import { guarded } from './redis.js';
import { scripts } from './scripts.js';

/** `montreal, qc|+15145550100`: the by-place index member, folded so a search ignores case and accents. */
export function placeMember(n: NumberInfo): string {
  return `${foldPlace(`${n.rateCentre}, ${n.region}`)}|${n.tel}`;
}

/** A number with its place from its bot-numbers_info entry (JSON {rateCentre, region}; none: no place). */
export function numberInfoOf(tel: string, raw: string | null | undefined): NumberInfo {
  const info = raw ? (JSON.parse(raw) as Partial<NumberInfo>) : {};
  return { tel, rateCentre: info.rateCentre ?? '', region: info.region ?? '' };
}

/** How many numbers' places a process remembers (about 100 bytes each). */
const KNOWN_MAX = 20_000;

export class NumberStore implements NumbersPort {
  /** Places read lately, oldest first (a Map keeps insertion order). */
  private readonly places = new Map<string, NumberInfo>();

  constructor(private readonly redis: Redis) {}

  known(tel: string): NumberInfo | undefined {
    return this.places.get(tel);
  }

  private remember(n: NumberInfo): void {
    this.places.delete(n.tel);
    this.places.set(n.tel, n);
    if (this.places.size > KNOWN_MAX) this.places.delete(this.places.keys().next().value as string);
  }

  async list(query: NumberQuery, limit: number, owner: string, skip = 0): Promise<NumberInfo[]> {
    const flat = (await scripts.listNumbers.run(
      this.redis,
      [keys.numbersAvailable, keys.numbersByPlace, keys.numbersInfo],
      [query.by, query.prefix, limit, owner, skip],
    )) as string[];
    const out: NumberInfo[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) out.push(numberInfoOf(flat[i] as string, flat[i + 1]));
    for (const n of out) this.remember(n);
    return out;
  }

  async info(tel: string, owner: string): Promise<NumberInfo | undefined> {
    const [listed, raw, holder] = await guarded(() =>
      Promise.all([
        this.redis.zscore(keys.numbersAvailable, tel),
        this.redis.hget(keys.numbersInfo, tel),
        this.redis.get(keys.reservation(tel)),
      ]),
    );
    if (listed === null || !raw || (holder !== null && holder !== owner)) return undefined;
    const n = numberInfoOf(tel, raw);
    this.remember(n);
    return n;
  }

  async reserve(hold: Hold): Promise<boolean> {
    const c = claimCall({ kind: 'reserve', ...hold });
    return (await scripts.reserve.run(this.redis, c.keys, c.args)) === 'ok';
  }

  async release(tel: string, owner: string, jid: string): Promise<void> {
    await scripts.release.run(this.redis, [keys.reservation(tel), keys.deadlines], [owner, holdDeadline(tel, owner, jid)]);
  }

  /**
   * Add numbers in one MULTI: all or nothing. Numbers already assigned are returned, not added.
   * Re-importing a number with another place replaces its place entry.
   */
  async import(rows: readonly NumberInfo[]): Promise<{ added: number; assigned: string[] }> {
    if (rows.length === 0) return { added: 0, assigned: [] };
    const tels = rows.map((r) => r.tel);
    const [owners, previous] = await guarded(() =>
      Promise.all([this.redis.mget(...tels.map((t) => keys.catapultJid(t))), this.redis.hmget(keys.numbersInfo, ...tels)]),
    );
    const assigned = rows.filter((_, i) => owners[i]).map((r) => r.tel);
    const m = this.redis.multi();
    rows.forEach((r, i) => {
      if (owners[i]) return;
      const place = placeMember(r);
      const old = previous[i] ? (JSON.parse(previous[i] as string) as { place?: string }).place : undefined;
      if (old && old !== place) m.zrem(keys.numbersByPlace, old);
      m.zadd(keys.numbersAvailable, 0, r.tel);
      m.zadd(keys.numbersByPlace, 0, place);
      m.hset(keys.numbersInfo, r.tel, JSON.stringify({ rateCentre: r.rateCentre, region: r.region, place }));
    });
    const added = rows.length - assigned.length;
    if (added) {
      const results = await guarded(() => m.exec());
      const failed = results?.find(([err]) => err);
      // MULTI does not roll back: a failing command (e.g. a key of the wrong type) is reported, not hidden.
      if (!results || failed) throw new Error(`import failed: ${failed?.[0]?.message ?? 'transaction aborted'}`);
    }
    return { added, assigned };
  }

  /**
   * Rebuild by-place entries written before places were folded (`montréal, qc|…` → `montreal, qc|…`), so a
   * search ignores accents on old inventories too. Runs once per database (a marker key says it ran); returns
   * how many entries changed.
   */
  async foldPlaces(): Promise<number> {
    if ((await guarded(() => this.redis.get(keys.placesFolded))) === '1') return 0;
    const [infos, offered] = await guarded(() =>
      Promise.all([this.redis.hgetall(keys.numbersInfo), this.redis.zrange(keys.numbersAvailable, '0', '-1')]),
    );
    const available = new Set(offered);
    const m = this.redis.multi();
    let changed = 0;
    for (const [tel, raw] of Object.entries(infos)) {
      const info = JSON.parse(raw) as Partial<NumberInfo> & { place?: string };
      const place = placeMember({ tel, rateCentre: info.rateCentre ?? '', region: info.region ?? '' });
      if (info.place === place) continue;
      changed++;
      if (info.place) m.zrem(keys.numbersByPlace, info.place);
      // Only numbers still offered are in the index; an assigned one just gets its info corrected.
      if (available.has(tel)) m.zadd(keys.numbersByPlace, 0, place);
      m.hset(keys.numbersInfo, tel, JSON.stringify({ rateCentre: info.rateCentre ?? '', region: info.region ?? '', place }));
    }
    m.set(keys.placesFolded, '1');
    await guarded(() => m.exec());
    return changed;
  }

  async all(): Promise<{ info: NumberInfo; heldBy?: string }[]> {
    const tels = await guarded(() => this.redis.zrange(keys.numbersAvailable, '0', '-1'));
    if (!tels.length) return [];
    const [infos, holders] = await guarded(() =>
      Promise.all([this.redis.hmget(keys.numbersInfo, ...tels), this.redis.mget(...tels.map((t) => keys.reservation(t)))]),
    );
    return tels.map((tel, i) => {
      const heldBy = holders[i] ?? undefined;
      return { info: numberInfoOf(tel, infos[i]), ...(heldBy ? { heldBy } : {}) };
    });
  }
}
