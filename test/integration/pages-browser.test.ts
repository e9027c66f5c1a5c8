// The payment pages as a person sees them: loaded in headless Chromium (Debian's `chromium`, driven by
// playwright-core) at a phone's width, from the real bot's web server.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adhocSignupToSummary, confirmPay, payBed, REGISTER, USD_NOW_RE, type PayBed } from './pay-fixture.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const present = existsSync(CHROMIUM);
if (!present) console.warn(`pages-browser: skipped, ${CHROMIUM} is missing (apt-get install -y chromium, or set CHROMIUM_PATH)`);

let p: PayBed;
let browser: Browser;

beforeAll(async () => {
  if (!present) return;
  p = await payBed();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await p?.close();
});

/** A phone-sized page; returns the visible text and whether it needs sideways scrolling. */
async function visit(page: Page, url: string) {
  const res = await page.goto(url);
  const text = await page.locator('body').innerText();
  // A string, evaluated in the page: the project's types have no DOM.
  const overflow = await page.evaluate<boolean>('document.documentElement.scrollWidth > window.innerWidth');
  return { status: res?.status(), text, overflow, title: await page.title() };
}

describe.skipIf(!present)('payment pages in a browser', () => {
  it('cancel, success and expired pages say what happens next, fit a phone screen, and "Pay now" leads back to Checkout', async () => {
    const u = await p.b.user();
    const { sessionid } = await adhocSignupToSummary(p, u);
    const { url, session } = await confirmPay(p, u, REGISTER, sessionid);
    const page = await browser.newPage({ viewport: { width: 360, height: 740 } });

    const cancel = await visit(page, `${url}/cancel`);
    expect(cancel.title).toBe('No payment was made');
    expect(cancel.text).toContain('nothing was charged');
    expect(cancel.overflow).toBe(false);
    await page.getByRole('link', { name: 'Pay now' }).click();
    await page.waitForURL(session.url);
    expect(await page.locator('h1').innerText()).toContain('Test checkout');

    const success = await visit(page, `${url}/success`);
    // Landing here proves nothing: until Stripe's event arrives the page only says it is being confirmed.
    expect(success.title).toBe('Thank you');
    expect(success.text).toMatch(/the bot sends you a message/);
    expect(success.overflow).toBe(false);

    // Pay on the (stand-in) checkout page: its webhook lands before the browser returns to the success page.
    await page.goto(url);
    await page.getByRole('button', { name: 'Pay (test card)' }).click();
    await page.waitForURL(`${url}/success`);
    expect(await page.title()).toBe('Payment received');
    expect((await u.nextMessage({ from: p.b.botJid })).body).toMatch(new RegExp(`^Payment received \\(${USD_NOW_RE}\\): your number is`));

    const expired = await visit(page, `${p.web}/pay/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`);
    expect(expired.status).toBe(404);
    expect(expired.title).toBe('This payment link has expired');
    expect(expired.text).toContain('Ask the bot for a new one');
    expect(expired.overflow).toBe(false);
    await page.close();
  }, 60_000);
});
