// The golden transcripts of test/golden on the real store: Redis (Lua scripts and all) and the stripe SDK
// against the stand-in. The same files pass in memory (test/unit/golden.test.ts): the doubles cannot drift.
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replay } from '../kit/golden.js';
import { allocateSlot, redisUrlFor } from '../harness/slot.js';
import { type RedisBackends, redisBackends } from './redis-backend.js';

const dir = new URL('../golden/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.txt'));

describe('golden transcripts, on Redis and the Stripe stand-in', () => {
  let backends: RedisBackends;
  beforeAll(async () => {
    backends = await redisBackends(redisUrlFor(await allocateSlot()));
  });
  afterAll(async () => {
    await backends?.close();
  });

  it.each(files)('%s', async (file) => {
    const expected = readFileSync(new URL(file, dir), 'utf8');
    expect(await replay(expected, await backends.fresh())).toBe(expected);
  });
});
