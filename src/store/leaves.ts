// Leaf accounts on Redis: the seed's payment-leaf_jids-N lists, read and shortened. Joining one happens when a
// code is redeemed (claims.ts) or an invitation accepted.
import type { Redis } from 'ioredis';
import { type LeavesPort, OFFER_DAYS } from '../domain/ports.js';
import { keys } from './keys.js';
import { guarded } from './redis.js';
import { scripts } from './scripts.js';

export class LeafStore implements LeavesPort {
  constructor(private readonly redis: Redis) {}

  async of(list: string): Promise<{ jid: string; tel?: string }[]> {
    // The main comes first; the leaves follow.
    const jids = (await guarded(() => this.redis.lrange(keys.leafJids(list), 1, -1))) as string[];
    if (!jids.length) return [];
    const tels = await guarded(() => this.redis.mget(...jids.map((j) => keys.jidNumber(j))));
    return jids.map((jid, i) => ({ jid, ...(tels[i] ? { tel: tels[i] as string } : {}) }));
  }

  async remove(main: string, leaf: string, list: string): Promise<boolean> {
    const r = await scripts.removeLeaf.run(
      this.redis,
      [keys.leafJidsIndex(main), keys.leafJids(list), keys.leafMain(leaf), keys.leafListN(main)],
      [main, leaf, list],
    );
    return r === 1;
  }

  async offer(main: string, jid: string, show: 'number' | 'jid', now: Date): Promise<void> {
    await scripts.inviteLeaf.run(
      this.redis,
      [keys.payerInvite(jid), keys.invitesOf(main), keys.leafJidsIndex(main), keys.leafListN(main), keys.leafJidsNext],
      [main, jid, show, now.getTime(), OFFER_DAYS * 86_400],
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
    return (await scripts.declineInvite.run(this.redis, [keys.payerInvite(jid), keys.invitesOf(main)], [main, jid])) === 1;
  }
}
