// The accounts index (bot-accounts) built from an existing JMP-style Redis: every JID a `catapult_jid-NUMBER`
// points at, and every JID with a `payment-plan_as_of_YYYYMM-JID`. SCAN, never KEYS; safe to run again and while
// the bot runs (SADD only adds).
import type { Redis } from 'ioredis';
import { keys } from './keys.js';
import { guarded } from './redis.js';

const PLAN_KEY = /^payment-plan_as_of_\d{6}-(.+)$/;

export interface Reindexed {
  /** JIDs found (each once), and how many of them were not in the index before. */
  readonly found: number;
  readonly added: number;
}

export async function reindexAccounts(redis: Redis, pageSize = 1000): Promise<Reindexed> {
  const found = new Set<string>();
  let added = 0;
  const add = async (jids: readonly string[]) => {
    const fresh = jids.filter((j) => j && !found.has(j));
    for (const j of fresh) found.add(j);
    if (fresh.length) added += await guarded(() => redis.sadd(keys.accounts, ...fresh));
  };
  for (const [match, jidsOf] of [
    [`${keys.catapultJid('')}*`, (found: string[]) => guarded(() => (found.length ? redis.mget(...found) : Promise.resolve([])))],
    ['payment-plan_as_of_*', async (found: string[]) => found.map((k) => PLAN_KEY.exec(k)?.[1] ?? null)],
  ] as const) {
    let cursor = '0';
    do {
      const [next, page] = await guarded(() => redis.scan(cursor, 'MATCH', match, 'COUNT', pageSize));
      cursor = next;
      const jids = (await jidsOf(page)).filter((j): j is string => typeof j === 'string' && j.includes('@'));
      await add(jids);
    } while (cursor !== '0');
  }
  return { found: found.size, added };
}
