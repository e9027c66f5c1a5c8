// Leaf accounts on Redis: the seed's payment-leaf_jids-N lists, read and shortened. Joining one happens when a
// code is redeemed (claims.ts) or an invitation accepted.
import type { Redis } from 'ioredis';
import { type LeavesPort, OFFER_DAYS, type Tell } from '../domain/ports.js';
import { keys } from './keys.js';
import { tellsArg } from './outbox.js';
import { guarded } from './redis.js';
import { scripts } from './scripts.js';

export class LeafStore implements LeavesPort {
  constructor(private readonly redis: Redis) {}

  /**
   * Take over leaf lists written before this bot (or by another tool): the counter of list numbers is moved past
   * every N in use, so a new list never reuses one, and each of their leaves gets its reverse index, so its main
   * can list and remove it and it is nobody else's leaf. Runs at start; returns how many leaves were indexed.
   */
  async adopt(): Promise<number> {
    let cursor = '0';
    let highest = 0;
    let indexed = 0;
    const prefix = keys.leafJidsIndex('');
    do {
      const [next, found] = await guarded(() => this.redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500));
      cursor = next;
      for (const indexKey of found) {
        const main = indexKey.slice(prefix.length);
        const n = await guarded(() => this.redis.get(indexKey));
        if (!n) continue;
        if (/^\d+$/.test(n)) highest = Math.max(highest, Number(n));
        const jids = await guarded(() => this.redis.lrange(keys.leafJids(n), 1, -1));
        for (const leaf of jids) {
          const set = await guarded(() => this.redis.set(keys.leafMain(leaf), JSON.stringify({ main, show: 'number' }), 'NX'));
          if (set === 'OK') indexed++;
        }
      }
    } while (cursor !== '0');
    // Only ever raised: two processes starting at once both leave it at least as high as every N in use.
    await scripts.raiseCounter.run(this.redis, [keys.leafJidsNext], [highest]);
    return indexed;
  }

  async of(list: string): Promise<{ jid: string; tel?: string }[]> {
    // The main comes first; the leaves follow.
    const jids = (await guarded(() => this.redis.lrange(keys.leafJids(list), 1, -1))) as string[];
    if (!jids.length) return [];
    const tels = await guarded(() => this.redis.mget(...jids.map((j) => keys.jidNumber(j))));
    return jids.map((jid, i) => ({ jid, ...(tels[i] ? { tel: tels[i] as string } : {}) }));
  }

  async remove(main: string, leaf: string, tell?: { readonly to: string; readonly text: string }): Promise<boolean> {
    // The list's N first (the script checks it still is the main's): every key it touches is in KEYS.
    const list = await guarded(() => this.redis.get(keys.leafJidsIndex(main)));
    if (!list) return false;
    const r = await scripts.removeLeaf.run(
      this.redis,
      [keys.leafJidsIndex(main), keys.leafJids(list), keys.leafMain(leaf), keys.leafListN(main), keys.outbox],
      [main, leaf, list, tell?.to ?? '', tell?.text ?? ''],
    );
    return r === 1;
  }

  async offer(main: string, jid: string, show: 'number' | 'jid', now: Date, tells: readonly Tell[]): Promise<void> {
    await scripts.inviteLeaf.run(
      this.redis,
      [keys.payerInvite(jid), keys.invitesOf(main), keys.leafJidsIndex(main), keys.leafListN(main), keys.leafJidsNext, keys.outbox],
      [main, jid, show, now.getTime(), OFFER_DAYS * 86_400, tellsArg(tells)],
    );
  }

  async offersOf(main: string, now: Date): Promise<{ jid: string; at: number }[]> {
    const flat = await guarded(() =>
      this.redis.zrevrangebyscore(keys.invitesOf(main), '+inf', String(now.getTime() - OFFER_DAYS * 86_400_000), 'WITHSCORES'),
    );
    const out: { jid: string; at: number }[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) out.push({ jid: flat[i] as string, at: Number(flat[i + 1]) });
    return out;
  }

  async decline(main: string, jid: string): Promise<boolean> {
    return (await scripts.declineInvite.run(this.redis, [keys.payerInvite(jid)], [main])) === 1;
  }
}
