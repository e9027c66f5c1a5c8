// What the payment service needs from a card processor: create a Checkout Session, verify a webhook.
// Stripe's implementation is in stripe.ts (the only file that imports the SDK).
import type { CheckoutRef, Purchase } from '../domain/ports.js';

export interface CheckoutRequest extends Purchase {
  readonly paymentId: string;
  /** With paymentId, the idempotency key: the same request twice returns the same Checkout Session. */
  readonly generation: number;
  readonly jid: string;
  /** The line the person sees on the Checkout page. */
  readonly description: string;
  readonly successUrl: string;
  readonly cancelUrl: string;
  readonly expiresAt: Date;
}

/** The part of a Checkout Session event the bot acts on. */
export interface CheckoutEvent {
  readonly id: string;
  readonly type: string;
  readonly session: {
    readonly id: string;
    readonly paymentStatus: string;
    readonly amountTotal: number | null;
    readonly currency: string | null;
    /** Our payment id, from the session's metadata; absent for sessions the bot did not create. */
    readonly paymentId?: string;
    /** The PaymentIntent that took the money: refunds and disputes name it. */
    readonly paymentIntent?: string;
  };
}

/** A refund or a dispute of a charge (`charge.refunded`, `charge.dispute.created`, `charge.dispute.closed`). */
export interface ChargeEvent {
  readonly id: string;
  readonly type: string;
  readonly charge: {
    readonly paymentIntent: string;
    /** Refunded so far (a refund), or disputed (a dispute), in minor units. */
    readonly amount: number;
    readonly currency: string;
    /** A dispute's reason and status (`fraudulent`, `needs_response`, `won`, `lost`…). */
    readonly reason?: string;
    readonly status?: string;
  };
}

export type ProcessorEvent = CheckoutEvent | ChargeEvent;

export interface Gateway {
  /** Throws PaymentsUnreachable when the processor cannot be reached or refuses. */
  createCheckout(req: CheckoutRequest): Promise<CheckoutRef>;
  /**
   * Expire a Checkout Session so it can no longer be paid: 'expired' (now, or before), or 'paid' when the person
   * has already paid it (its webhook may still be on its way). Throws PaymentsUnreachable when it cannot be known.
   */
  expireCheckout(checkoutId: string): Promise<'expired' | 'paid'>;
  /** A Checkout Session as the processor has it now (what its events would say). Throws PaymentsUnreachable. */
  checkoutSession(checkoutId: string): Promise<CheckoutEvent['session']>;
  /** Whether the processor takes our key (one cheap authenticated call, at start). */
  check(): Promise<'ok' | 'refused' | 'unreachable'>;
  /** Throws BadSignature unless `raw` is exactly what the processor signed, recently. */
  verifyEvent(raw: Buffer, signature: string): ProcessorEvent;
}

export class BadSignature extends Error {
  override name = 'BadSignature';
}
