// Stripe, through its real SDK: Checkout Sessions and webhook signatures. The only importer of `stripe`.
import Stripe from 'stripe';
import type { StripeConfig } from '../config.js';
import type { CheckoutRef } from '../domain/ports.js';
import { PaymentsUnreachable } from '../domain/payments.js';
import { BadSignature, type CheckoutEvent, type CheckoutRequest, type Gateway } from './gateway.js';

export function stripeGateway(config: StripeConfig): Gateway {
  const api = config.apiUrl;
  const stripe = new Stripe(config.secretKey, {
    maxNetworkRetries: 2,
    timeout: 20_000,
    telemetry: false,
    ...(api
      ? {
          host: api.hostname,
          port: Number(api.port || (api.protocol === 'https:' ? 443 : 80)),
          protocol: api.protocol === 'https:' ? 'https' : 'http',
        }
      : {}),
  });

  return {
    async createCheckout(req: CheckoutRequest): Promise<CheckoutRef> {
      try {
        const s = await stripe.checkout.sessions.create(
          {
            mode: 'payment',
            line_items: [
              { quantity: 1, price_data: { currency: req.currency, unit_amount: req.amount, product_data: { name: req.description } } },
            ],
            client_reference_id: req.paymentId,
            metadata: { payment: req.paymentId, jid: req.jid, purpose: req.purpose, plan: req.plan, tel: req.tel },
            payment_intent_data: { metadata: { payment: req.paymentId } },
            success_url: req.successUrl,
            cancel_url: req.cancelUrl,
            expires_at: Math.floor(req.expiresAt.getTime() / 1000),
          },
          { idempotencyKey: `jmp-checkout-${req.paymentId}-${req.generation}` },
        );
        if (!s.url) throw new PaymentsUnreachable(`checkout session ${s.id} has no url`);
        return { id: s.id, url: s.url, expiresAt: s.expires_at * 1000 };
      } catch (err) {
        if (err instanceof PaymentsUnreachable) throw err;
        // Every SDK failure (network, 5xx, rate limit, a refused request) means: no link now, try again later.
        const e = err as { type?: string; message?: string };
        throw new PaymentsUnreachable(`stripe: ${e.type ?? 'error'}: ${e.message ?? String(err)}`);
      }
    },

    verifyEvent(raw: Buffer, signature: string): CheckoutEvent {
      let event: Stripe.Event;
      try {
        event = stripe.webhooks.constructEvent(raw, signature, config.webhookSecret);
      } catch (err) {
        throw new BadSignature((err as Error).message);
      }
      const obj = event.data.object as Partial<Stripe.Checkout.Session>;
      const paymentId = obj.metadata?.payment;
      return {
        id: event.id,
        type: event.type,
        session: {
          id: String(obj.id ?? ''),
          paymentStatus: String(obj.payment_status ?? ''),
          amountTotal: typeof obj.amount_total === 'number' ? obj.amount_total : null,
          currency: obj.currency ?? null,
          ...(paymentId ? { paymentId } : {}),
        },
      };
    },
  };
}
