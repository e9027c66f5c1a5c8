// The number inventory on real Redis: an inventory indexed by an older release (places with accents) is
// re-indexed once, so a search ignores case and accents for old numbers too; pages of numbers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSearch } from '../../src/domain/phone.js';
import { keys } from '../../src/store/keys.js';
import { NumberStore } from '../../src/store/numbers.js';
import { connectRedis, type Redis } from '../../src/store/redis.js';
import { privateRedis } from '../harness/private-redis.js';

let redis: Redis;
let numbers: NumberStore;
// Its own Redis: one test counts the commands a page costs.
let own: Awaited<ReturnType<typeof privateRedis>>;

beforeAll(async () => {
  own = await privateRedis();
  redis = await connectRedis(own.url, { info: () => {}, warn: () => {}, error: () => {} });
  numbers = new NumberStore(redis);
});
afterAll(async () => {
  redis?.disconnect();
  await own?.stop();
});

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

  it('a page far on is read in batches Lua can unpack', async () => {
    await numbers.import(
      Array.from({ length: 9100 }, (_, i) => ({ tel: `+1709${String(5550000 + i)}`, rateCentre: 'St. John’s', region: 'NL' })),
    );
    const all = { by: 'tel', prefix: '+1709' } as const;
    expect((await numbers.list(all, 5, 'me', 9000)).map((n) => n.tel)).toEqual([
      '+17095559000',
      '+17095559001',
      '+17095559002',
      '+17095559003',
      '+17095559004',
    ]);
  });

  it('a page costs a few Redis commands, not two per number', async () => {
    await numbers.import(
      Array.from({ length: 60 }, (_, i) => ({ tel: `+1902555${String(1000 + i)}`, rateCentre: 'Halifax', region: 'NS' })),
    );
    // Held by others: the first page of candidates does not fill it, so a second batch is read.
    for (const i of [0, 1, 2, 3, 4, 5, 6]) await redis.set(keys.reservation(`+1902555${1000 + i}`), 'someone-else');
    const all = { by: 'tel', prefix: '+1902' } as const;
    await numbers.list(all, 6, 'me'); // the script is loaded once
    const count = async () =>
      [...(await redis.info('commandstats')).matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)]
        .filter((m) => m[1] !== 'info')
        .reduce((n, m) => n + Number(m[2]), 0);
    const before = await count();
    const page = await numbers.list(all, 6, 'me');
    // EVALSHA; inside: ZRANGEBYLEX and MGET for each of two batches, one HMGET.
    expect((await count()) - before).toBe(6);
    expect(page.map((n) => n.tel)).toEqual([
      '+19025551007',
      '+19025551008',
      '+19025551009',
      '+19025551010',
      '+19025551011',
      '+19025551012',
    ]);
    expect(page[0]).toMatchObject({ rateCentre: 'Halifax', region: 'NS' });
  });
});
