// Leaf accounts on Redis: the seed's payment-leaf_jids-N lists, read and shortened. Joining one happens when a
// code is redeemed (claims.ts) or an invitation accepted.
import type { Redis } from 'ioredis';
import type { LeavesPort } from '../domain/ports.js';
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
}
