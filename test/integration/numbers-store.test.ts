// The number inventory on real Redis: an inventory indexed by an older release (places with accents) is
// re-indexed once, so a search ignores case and accents for old numbers too; pages of numbers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSearch } from '../../src/domain/phone.js';
import { keys } from '../../src/store/keys.js';
import { NumberStore } from '../../src/store/numbers.js';
import { connectRedis, type Redis } from '../../src/store/redis.js';
import { allocateSlot, redisUrlFor } from '../harness/slot.js';

let redis: Redis;
let numbers: NumberStore;

beforeAll(async () => {
  redis = await connectRedis(redisUrlFor(await allocateSlot()), { info: () => {}, warn: () => {}, error: () => {} });
  numbers = new NumberStore(redis);
});
afterAll(() => redis?.disconnect());

const place = (text: string) => {
  const s = parseSearch(text);
  if (s?.by !== 'place') throw new Error(`${text} is not a place`);
  return s;
};

describe('number inventory', () => {
  it('re-indexes places an older release stored with accents, once; then montreal and Montréal both find them', async () => {
    // As the first release wrote them: lower case, accents kept.
    await redis
      .multi()
      .zadd(keys.numbersAvailable, 0, '+15145550100')
      .zadd(keys.numbersByPlace, 0, 'montréal, qc|+15145550100')
      .hset(keys.numbersInfo, '+15145550100', JSON.stringify({ rateCentre: 'Montréal', region: 'QC', place: 'montréal, qc|+15145550100' }))
      .exec();
    expect(await numbers.list(place('montreal'), 5, 'nobody')).toEqual([]);
    expect(await numbers.foldPlaces()).toBe(1);
    expect(await numbers.foldPlaces()).toBe(0);
    expect(await redis.zrange(keys.numbersByPlace, '0', '-1')).toEqual(['montreal, qc|+15145550100']);
    for (const typed of ['montreal', 'Montréal', 'MONTRÉAL']) {
      expect((await numbers.list(place(typed), 5, 'nobody')).map((n) => n.tel)).toEqual(['+15145550100']);
    }
  });

  it('lists a page further on, skipping numbers someone else holds', async () => {
    await numbers.import(Array.from({ length: 8 }, (_, i) => ({ tel: `+1604555010${i}`, rateCentre: 'Vancouver', region: 'BC' })));
    await redis.set(keys.reservation('+16045550101'), 'someone-else');
    const all = { by: 'tel', prefix: '+1604' } as const;
    expect((await numbers.list(all, 3, 'me')).map((n) => n.tel)).toEqual(['+16045550100', '+16045550102', '+16045550103']);
    expect((await numbers.list(all, 3, 'me', 3)).map((n) => n.tel)).toEqual(['+16045550104', '+16045550105', '+16045550106']);
    expect((await numbers.list(all, 3, 'me', 6)).map((n) => n.tel)).toEqual(['+16045550107']);
  });
});
