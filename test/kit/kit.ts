// The in-process kit: the real registry, runtime and both adapters, on ports given by a backend (in memory, or
// the real Redis store), with a fixed clock and fixed ids. No XMPP server: stanzas and chat bodies go in as
// values and come out as values. Payment events are handed to the real payment service as a verified event.
import { handleCommand } from '../../src/adhoc/adapter.js';
import { type Assembly, assemble, type Ports } from '../../src/assemble.js';
import type { ReferralSettings, Settings } from '../../src/commands/deps.js';
import { codeFromBytes } from '../../src/domain/codes.js';
import { loadCatalogue, SAMPLE_PLANS_FILE } from '../../src/config.js';
import type { NumberInfo } from '../../src/domain/ports.js';
import { handleChat, type Outgoing } from '../../src/fallback/adapter.js';
import type { CheckoutEvent, Gateway } from '../../src/payments/gateway.js';
import { discoInfo, discoItems } from '../../src/xmpp/disco.js';
import { parseXml, printXml } from './xml.js';

export const KIT_T0 = new Date('2026-11-22T10:00:00Z');
export const BOT = 'bot.example.org';
export const PUBLIC_URL = 'https://pay.example.org';

/** The numbers every transcript starts with (the same as the integration bed's). */
export const SAMPLE_NUMBERS: NumberInfo[] = [
  { tel: '+14165550100', rateCentre: 'Toronto', region: 'ON' },
  { tel: '+14165550101', rateCentre: 'Toronto', region: 'ON' },
  { tel: '+14165550102', rateCentre: 'Toronto', region: 'ON' },
  { tel: '+15145550100', rateCentre: 'Montréal', region: 'QC' },
  { tel: '+16045550100', rateCentre: 'Vancouver', region: 'BC' },
  { tel: '+16045550101', rateCentre: 'Vancouver', region: 'BC' },
  { tel: '+19055550100', rateCentre: 'Hamilton', region: 'ON' },
];

/** A Checkout Session the gateway created, as the kit needs it to send its events. */
export interface CreatedCheckout {
  readonly id: string;
  readonly paymentId: string;
  readonly amount: number;
  readonly currency: string;
}

/** How a backend writes the facts a transcript starts from (`given …`), as a real deployment would hold them. */
export interface Seeder {
  numbers(rows: readonly NumberInfo[]): Promise<void>;
  /** A registered account: its number since `since`, and a plan per month offset from now (0 = this month). */
  account(jid: string, tel: string, since: string, plans: ReadonlyMap<number, string>, now: Date): Promise<void>;
  balance(jid: string, minor: number): Promise<void>;
}

export interface Backend {
  readonly ports: Ports;
  readonly seed: Seeder;
  readonly gateway: Gateway;
  /** The latest Checkout Session the gateway created. */
  lastCheckout(): CreatedCheckout | undefined;
  /** The kit's clock, for parts of the backend that keep time too (the Stripe stand-in's expires_at rule). */
  useClock?(now: () => Date): void;
  /** Messages scripts queued in the outbox since the last call, taken out of it (what the bot's sender delivers). */
  drainOutbox(): Promise<Delivered[]>;
}

export interface KitOptions {
  readonly admins?: readonly string[];
  /** The web site's JID (WEB_REGISTER_JIDS), if the kit plays one. */
  readonly webSite?: string;
  readonly methods?: readonly string[];
  readonly now?: Date;
  readonly referral?: Partial<ReferralSettings>;
}

export interface Delivered {
  readonly to: string;
  readonly body: string;
}

export class Kit {
  readonly clock: { now: Date };
  readonly app: Assembly;
  private ids = 0;
  private codes = 0;
  private events = 0;

  constructor(
    readonly backend: Backend,
    opts: KitOptions = {},
  ) {
    this.clock = { now: opts.now ?? KIT_T0 };
    backend.useClock?.(() => this.clock.now);
    const catalogue = loadCatalogue(SAMPLE_PLANS_FILE);
    const settings: Settings = {
      sessionTtlSeconds: 1800,
      trialPlans: { first: catalogue.trial.first.id, second: catalogue.trial.second.id },
      activationMethods: opts.methods ?? ['trial', 'credit_card'],
      adminJids: opts.admins ?? [],
      webRegister: { jids: opts.webSite ? [opts.webSite] : [], holdSeconds: 1800, messagesPerHour: 5 },
      catalogue,
      referral: { codesPerMonth: 3, minPaidDays: 0, inviteCredit: 200, codeTriesPerHour: 3, ...opts.referral },
    };
    const newId = () => `kit-${String(++this.ids).padStart(13, '0')}`;
    this.app = assemble({
      settings,
      ports: backend.ports,
      now: () => this.clock.now,
      newId,
      newToken: () => `token-${newId()}`,
      // Codes as the bot draws them, from a fixed sequence of bytes: the same codes on every run.
      newCode: () => {
        const n = ++this.codes;
        return codeFromBytes(Uint8Array.from({ length: 10 }, (_, i) => (n * 37 + i * 11) % 240)) ?? '';
      },
      log: { info: () => {}, warn: () => {}, error: (m) => console.error(m) },
      card: { gateway: backend.gateway, publicUrl: PUBLIC_URL },
    });
  }

  /** A `<command/>` from `from`, as the server stamped it: the reply, printed. */
  async adhoc(from: string, xmlText: string): Promise<string> {
    return printXml(await handleCommand(this.app.runtime, from, parseXml(xmlText)));
  }

  /** A disco#info or disco#items `<query/>`: the reply, printed. */
  async disco(from: string, xmlText: string): Promise<string> {
    const q = parseXml(xmlText);
    const reply =
      q.attrs.xmlns === 'http://jabber.org/protocol/disco#items'
        ? await discoItems(this.app.runtime, from, BOT, q)
        : await discoInfo(this.app.runtime, from, q);
    return printXml(reply);
  }

  async chat(from: string, body: string, extra: { replyTo?: string; sentAt?: number } = {}): Promise<Outgoing[]> {
    return handleChat(this.app.runtime, { from, body, ...extra });
  }

  /** The latest Checkout Session reports `type` (paid, expired…), verified, as the webhook would hand it over. */
  async checkoutEvent(type: string, paymentStatus: 'paid' | 'unpaid' = 'paid'): Promise<string> {
    const c = this.backend.lastCheckout();
    if (!c || !this.app.payments) throw new Error('no Checkout Session was created');
    const e: CheckoutEvent = {
      id: `evt_kit_${++this.events}`,
      type,
      session: { id: c.id, paymentStatus, amountTotal: c.amount, currency: c.currency, paymentId: c.paymentId },
    };
    return this.app.payments.onEvent(e);
  }

  /** Messages the bot decided to send since the last call (all of them go through the outbox). */
  async takeSent(): Promise<Delivered[]> {
    return this.backend.drainOutbox();
  }
}
