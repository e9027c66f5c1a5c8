import { describe, expect, it } from 'vitest';
import { randomBase64url } from '../../src/random.js';

describe('random ids from the pool', () => {
  it('are base64url of the asked length, never repeat, across many refills of the pool', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const id = randomBase64url(12);
      expect(id).toMatch(/^[A-Za-z0-9_-]{16}$/);
      seen.add(id);
    }
    expect(seen.size).toBe(5000);
    expect(randomBase64url(24)).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it('refuses a size it cannot give without handing out bytes twice', () => {
    const before = randomBase64url(12);
    for (const n of [5000, -12, 0, 1.5, Number.NaN]) expect(() => randomBase64url(n)).toThrow(RangeError);
    expect(randomBase64url(12)).not.toBe(before);
  });
});
