// Bounds on what the bot reads: depth, element count and text, checked without recursion.
import { describe, expect, it } from 'vitest';
import { boundIq, LIMITS, NS_LIMITS, withinLimits } from '../../src/xmpp/limits.js';
import { type Element, xml } from '../../src/xmpp/xml.js';

function nested(depth: number): Element {
  const root = xml('query', { xmlns: 'urn:test' });
  let cur = root;
  for (let i = 1; i < depth; i++) {
    const next = xml('a');
    cur.children.push(next);
    cur = next;
  }
  return root;
}

describe('limits', () => {
  it('accepts what a real client sends, refuses past each bound', () => {
    expect(withinLimits(nested(LIMITS.depth))).toBe(true);
    expect(withinLimits(nested(LIMITS.depth + 1))).toBe(false);
    expect(withinLimits(xml('q', {}, ...Array.from({ length: LIMITS.elements - 1 }, () => xml('a'))))).toBe(true);
    expect(withinLimits(xml('q', {}, ...Array.from({ length: LIMITS.elements }, () => xml('a'))))).toBe(false);
    expect(withinLimits(xml('q', {}, 'x'.repeat(LIMITS.textBytes)))).toBe(true);
    expect(withinLimits(xml('q', {}, 'x'.repeat(LIMITS.textBytes + 1)))).toBe(false);
  });

  it('walks a tree 100,000 deep without overflowing, and an IQ over the limits keeps only a small stand-in', () => {
    const iq = xml('iq', { type: 'get' }, nested(100_000));
    expect(withinLimits(iq)).toBe(false);
    boundIq(iq);
    expect(iq.children).toHaveLength(1);
    expect((iq.children[0] as Element).attrs.xmlns).toBe(NS_LIMITS);
    const small = xml('iq', { type: 'get' }, xml('query', { xmlns: 'urn:test' }));
    boundIq(small);
    expect((small.children[0] as Element).attrs.xmlns).toBe('urn:test');
  });
});
