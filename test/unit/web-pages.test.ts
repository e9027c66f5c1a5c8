import { describe, expect, it } from 'vitest';
import { pages, renderPage } from '../../src/web/pages.js';

describe('payment pages', () => {
  it('escape what they show and carry a phone viewport', () => {
    const html = renderPage({ status: 200, title: '<script>x</script>', paragraphs: ['a & b'], link: { href: '../t"x', text: 'Pay' } });
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('a &amp; b');
    expect(html).toContain('href="../t&quot;x"');
    expect(html).toContain('name="viewport" content="width=device-width');
  });

  it('the cancel page offers "Pay now" only while the link still works', () => {
    expect(pages.cancelled('../tok').link?.text).toBe('Pay now');
    expect(pages.cancelled(undefined).link).toBeUndefined();
    expect(pages.expired().status).toBe(404);
  });
});
