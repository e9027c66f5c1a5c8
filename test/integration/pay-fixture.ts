// A bot with card payments on: the real stripe SDK pointed at the local stand-in, the real web server,
// real Prosody and Redis. Plus helpers to make registered accounts and to play Stripe's webhook.
import { activationCharge, formatMoney } from '../../src/domain/catalogue.js';
import { expect } from 'vitest';
import type { Bot } from '../../src/bot.js';
import { yyyymm } from '../../src/domain/months.js';
import { keys } from '../../src/store/keys.js';
import { NumberStore } from '../../src/store/numbers.js';
import type { TestUser } from '../harness/client.js';
import { freePort } from '../../src/dev/servers.js';
import { startStripeStandin, type Standin, type StandinSession } from '../../src/dev/stripe-standin.js';
import { bed, command, type Bed, type CommandReply } from './bot-fixture.js';
import { writeAccount } from './redis-backend.js';

export const WHSEC = 'whsec_test_jmp_account_bot';
export const USD = 'usd_monthly-v20261101';
export const CAD = 'cad_monthly-v20261101';
export const REGISTER = 'jabber:iq:register';

/** What activating the USD plan costs today (the rest of this month pro rata, and next month), and as shown. */
export const ACTIVATE_USD = activationCharge(499, new Date()).total;
export const USD_NOW = formatMoney(ACTIVATE_USD, 'usd');
/** The same, to put in a RegExp. */
export const USD_NOW_RE = USD_NOW.replace(/[$.]/g, '\\$&');

process.env.STRIPE_SUPPRESS_NOTICES = 'true';

export interface PayBed {
  readonly b: Bed;
  readonly stripe: Standin;
  readonly bot: Bot;
  /** The environment the bot was started with (to start another the same way). */
  readonly env: Record<string, string>;
  /** PUBLIC_URL of the bot's web server. */
  readonly web: string;
  /** Sign and post an event about a session to the bot's webhook. */
  send(
    type: string,
    sessionId: string,
    changes?: Partial<StandinSession>,
  ): Promise<{ status: number; body: string; eventId: string; payload: string }>;
  close(): Promise<void>;
}

export async function payBed(env: Record<string, string> = {}): Promise<PayBed> {
  const b = await bed();
  // Card tests use up numbers quickly: add twenty more to the sample inventory.
  await new NumberStore(b.redis).import(
    Array.from({ length: 20 }, (_, i) => ({ tel: `+1437555${String(200 + i).padStart(4, '0')}`, rateCentre: 'Toronto', region: 'ON' })),
  );
  const port = await freePort();
  const web = `http://127.0.0.1:${port}`;
  // Its test checkout page's Pay button posts a signed event to the bot, as Stripe does after a payment.
  const stripe = await startStripeStandin({ webhook: { url: `${web}/stripe/webhook`, secret: WHSEC } });
  const started = {
    ACTIVATION_METHODS: 'trial,credit_card',
    STRIPE_SECRET_KEY: 'sk_test_jmpaccountbot',
    STRIPE_WEBHOOK_SECRET: WHSEC,
    STRIPE_API_URL: stripe.url,
    HTTP_PORT: String(port),
    PUBLIC_URL: web,
    ...env,
  };
  const bot = await b.start(started);
  return {
    b,
    stripe,
    bot,
    env: started,
    web,
    async send(type, sessionId, changes) {
      const e = stripe.event(type, sessionId, changes);
      const r = await stripe.post(`${web}/stripe/webhook`, e.payload, WHSEC);
      return { ...r, eventId: e.id, payload: e.payload };
    },
    async close() {
      await b.close();
      await stripe.stop();
    },
  };
}

function month(offset: number): string {
  const now = new Date();
  return yyyymm(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1)));
}

/** Give `jid` the number `tel` with a plan per month offset (0 = this month, -2 = two months ago). */
export async function registered(b: Bed, jid: string, tel: string, plans: Record<number, string>): Promise<void> {
  const byOffset = Object.entries(plans).map(([offset, plan]) => [Number(offset), plan] as const);
  await writeAccount(b.redis, jid, tel, '2026-01-15', byOffset, new Date());
}

export const planKey = (jid: string, offset = 0) => keys.planAsOf(month(offset), jid);

/** What a form says besides its questions: its instructions and its fixed fields (a payment summary), in order. */
export function formText(r: CommandReply): string {
  return (
    r.form
      ?.getChildElements()
      .filter((el) => el.name === 'instructions' || (el.name === 'field' && el.attrs.type === 'fixed'))
      .map((el) => (el.name === 'field' ? (el.getChildText('value') ?? '') : el.getText()))
      .join('\n') ?? ''
  );
}

/** The oob URL of a completed command. */
export function oobUrl(r: CommandReply): string | undefined {
  return r.command?.getChild('x', 'jabber:x:oob')?.getChildText('url') ?? undefined;
}

/** Walk the signup in ad-hoc up to the payment summary (card, USD plan); returns the session and number. */
export async function adhocSignupToSummary(p: PayBed, u: TestUser, pick = 0) {
  const botJid = p.b.botJid;
  const first = await command(u, botJid, REGISTER);
  const sessionid = first.sessionid!;
  const tel = first.options('tel')[pick]!;
  await command(u, botJid, REGISTER, { sessionid, values: { tel } });
  const options = await command(u, botJid, REGISTER, { sessionid, values: { confirm: 'true' } });
  const plan = await command(u, botJid, REGISTER, { sessionid, values: { activation_method: 'credit_card' } });
  const summary = await command(u, botJid, REGISTER, { sessionid, values: { plan: USD } });
  return { sessionid, tel, options, plan, summary };
}

/** Confirm a summary; expects the link, returns it with the Checkout Session created for it. */
export async function confirmPay(p: PayBed, u: TestUser, node: string, sessionid: string) {
  const done = await command(u, p.b.botJid, node, { sessionid, action: 'complete', values: { confirm: 'true' } });
  expect(done.status).toBe('completed');
  const url = oobUrl(done)!;
  expect(url).toMatch(new RegExp(`^${p.web}/pay/[\\w-]{30,}$`));
  return { done, url, session: p.stripe.created.at(-1)!.session };
}

/** Follow a payment link without following the redirect. */
export async function open(url: string): Promise<{ status: number; location: string | null; text: string }> {
  const r = await fetch(url, { redirect: 'manual' });
  return { status: r.status, location: r.headers.get('location'), text: await r.text() };
}
