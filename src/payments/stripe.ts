// Stripe, through its real SDK: Checkout Sessions and webhook signatures. The only importer of `stripe`.
import Stripe from 'stripe';
import type { StripeConfig } from '../config.js';
import type { CheckoutRef, Log } from '../domain/ports.js';
import { PaymentsUnreachable } from '../domain/payments.js';
import { BadSignature, type ChargeEvent, type CheckoutEvent, type CheckoutRequest, type Gateway, type ProcessorEvent } from './gateway.js';

/** Stripe's error types that mean "Stripe answered, and will not do this" (as opposed to a network or 5xx failure). */
const REFUSALS = new Set(['StripeAuthenticationError', 'StripePermissionError', 'StripeInvalidRequestError', 'StripeIdempotencyError']);

/** An SDK failure as PaymentsUnreachable; a refusal is logged with Stripe's request id, for the operator. */
function unreachable(err: unknown, log: Pick<Log, 'error'>): PaymentsUnreachable {
  const e = err as { type?: string; message?: string; requestId?: string; statusCode?: number };
  const refused = REFUSALS.has(e.type ?? '');
  const what = `stripe: ${e.type ?? 'error'}${e.statusCode ? ` ${e.statusCode}` : ''}: ${e.message ?? String(err)}`;
  if (refused)
    log.error(`${what} (request ${e.requestId ?? 'unknown'}): card payments are refused; check the key and its permissions`, {
      event: 'stripe.refused',
      stripeRequest: e.requestId,
      status: e.statusCode,
    });
  return new PaymentsUnreachable(what, refused);
}

/** A refund (the charge) or a dispute, by the PaymentIntent both name. */
function chargeEvent(event: Stripe.Event): ChargeEvent {
  const obj = event.data.object as {
    payment_intent?: string | { id: string } | null;
    currency?: string;
    amount?: number;
    amount_refunded?: number;
    reason?: string;
    status?: string;
  };
  const intent = typeof obj.payment_intent === 'string' ? obj.payment_intent : (obj.payment_intent?.id ?? '');
  const dispute = event.type.startsWith('charge.dispute.');
  return {
    id: event.id,
    type: event.type,
    charge: {
      paymentIntent: intent,
      amount: (dispute ? obj.amount : obj.amount_refunded) ?? 0,
      currency: obj.currency ?? '',
      ...(dispute && obj.reason ? { reason: obj.reason } : {}),
      ...(dispute && obj.status ? { status: obj.status } : {}),
    },
  };
}

export function stripeGateway(config: StripeConfig, log: Pick<Log, 'error'>): Gateway {
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
        throw unreachable(err, log);
      }
    },

    async expireCheckout(checkoutId: string): Promise<'expired' | 'paid'> {
      try {
        await stripe.checkout.sessions.expire(checkoutId);
        return 'expired';
      } catch (err) {
        const e = err as { statusCode?: number };
        // Stripe refuses to expire a session that is not open: paid (complete), or expired already. Which one?
        if (e.statusCode !== 400 && e.statusCode !== 404) throw unreachable(err, log);
        try {
          const s = await stripe.checkout.sessions.retrieve(checkoutId);
          return s.status === 'complete' ? 'paid' : 'expired';
        } catch (again) {
          if ((again as { statusCode?: number }).statusCode === 404) return 'expired';
          throw unreachable(again, log);
        }
      }
    },

    async checkoutSession(checkoutId: string): Promise<CheckoutEvent['session']> {
      try {
        return sessionOf(await stripe.checkout.sessions.retrieve(checkoutId));
      } catch (err) {
        throw unreachable(err, log);
      }
    },

    async check(): Promise<'ok' | 'refused' | 'unreachable'> {
      try {
        // A cheap authenticated call that needs only what the bot needs anyway (Checkout Sessions).
        await stripe.checkout.sessions.list({ limit: 1 });
        return 'ok';
      } catch (err) {
        return unreachable(err, log).refused ? 'refused' : 'unreachable';
      }
    },

    verifyEvent(raw: Buffer, signature: string): ProcessorEvent {
      let event: Stripe.Event;
      try {
        event = stripe.webhooks.constructEvent(raw, signature, config.webhookSecret);
      } catch (err) {
        throw new BadSignature((err as Error).message);
      }
      if (event.type.startsWith('charge.')) return chargeEvent(event);
      return { id: event.id, type: event.type, session: sessionOf(event.data.object as Partial<Stripe.Checkout.Session>) };
    },
  };
}

/** The part of a Checkout Session the bot acts on, from an event or a retrieve. */
function sessionOf(obj: Partial<Stripe.Checkout.Session>): CheckoutEvent['session'] {
  const paymentId = obj.metadata?.payment;
  const intent = typeof obj.payment_intent === 'string' ? obj.payment_intent : obj.payment_intent?.id;
  return {
    id: String(obj.id ?? ''),
    paymentStatus: String(obj.payment_status ?? ''),
    amountTotal: typeof obj.amount_total === 'number' ? obj.amount_total : null,
    currency: obj.currency ?? null,
    ...(paymentId ? { paymentId } : {}),
    ...(intent ? { paymentIntent: intent } : {}),
  };
}
