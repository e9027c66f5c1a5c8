// The kit's backend with every port in memory and a card processor that answers in process: for
// `npm run test:unit`, which runs with neither redis-server nor prosody installed.
import { monthOf } from '../../src/domain/months.js';
import type { CheckoutRef } from '../../src/domain/ports.js';
import { BadSignature, type CheckoutEvent, type CheckoutRequest, type Gateway } from '../../src/payments/gateway.js';
import type { Backend, CreatedCheckout } from './kit.js';
import {
  MemoryAccounts,
  MemoryCodes,
  MemoryContacts,
  MemoryLeaves,
  MemoryWeb,
  MemoryUsage,
  MemoryNumbers,
  MemoryPayments,
  MemorySessions,
  World,
} from './memory.js';

/** Creates Checkout Sessions as Stripe would for the bot's requests: the same key gives the same session. */
class InProcessGateway implements Gateway {
  readonly created: CreatedCheckout[] = [];
  private readonly byKey = new Map<string, CheckoutRef>();

  async createCheckout(req: CheckoutRequest): Promise<CheckoutRef> {
    const key = `${req.paymentId}-${req.generation}`;
    const known = this.byKey.get(key);
    if (known) return known;
    const ref = { id: `cs_kit_${this.created.length + 1}`, url: `https://checkout.example/${key}`, expiresAt: req.expiresAt.getTime() };
    this.byKey.set(key, ref);
    this.created.push({ id: ref.id, paymentId: req.paymentId, amount: req.amount, currency: req.currency });
    return ref;
  }

  async expireCheckout(): Promise<'expired'> {
    return 'expired';
  }

  async checkoutSession(id: string): Promise<CheckoutEvent['session']> {
    return { id, paymentStatus: 'unpaid', amountTotal: null, currency: null };
  }

  async check(): Promise<'ok'> {
    return 'ok';
  }

  verifyEvent(): never {
    throw new BadSignature('the in-process gateway receives no webhooks');
  }
}

export function memoryBackend(): Backend & { readonly world: World } {
  const world = new World();
  const gateway = new InProcessGateway();
  return {
    world,
    ports: {
      numbers: new MemoryNumbers(world),
      accounts: new MemoryAccounts(world),
      sessions: new MemorySessions(world),
      contacts: new MemoryContacts(world),
      paymentRecords: new MemoryPayments(world),
      codes: new MemoryCodes(world),
      leaves: new MemoryLeaves(world),
      web: new MemoryWeb(world),
      usage: new MemoryUsage(world),
    },
    gateway,
    lastCheckout: () => gateway.created.at(-1),
    drainOutbox: async () => world.outbox.splice(0),
    seed: {
      async numbers(rows) {
        world.addNumbers(rows);
      },
      async account(jid, tel, since, plans, now) {
        world.available.delete(tel);
        world.catapultJid.set(tel, jid);
        world.jidNumber.set(jid, tel);
        world.usageStart.set(tel, since);
        for (const [offset, plan] of plans) world.plans.set(`${monthOf(now, offset)} ${jid}`, plan);
      },
      async balance(jid, minor) {
        world.balances.set(jid, minor);
      },
    },
  };
}
