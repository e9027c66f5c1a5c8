// Facts about card payments that commands, the payment service and the stores share.
import type { CheckoutRef, OpenPayment, Payment } from './ports.js';

/** Checkout Sessions live an hour (Stripe allows 30 min to 24 h); a signup's number is held as long. */
export const CHECKOUT_MINUTES = 60;

/**
 * No link now. `refused`: the processor answered and said no (a revoked key, a request it will not take): card
 * payments are not available until the operator acts. Otherwise it could not be reached: try again in a minute.
 */
export class PaymentsUnreachable extends Error {
  override name = 'PaymentsUnreachable';
  constructor(
    message: string,
    readonly refused = false,
  ) {
    super(message);
  }
}

/** What a person's open-payment index keeps of a payment: enough to give its link again without another read. */
export function openPaymentOf(p: Payment, checkout: CheckoutRef): OpenPayment {
  return {
    id: p.id,
    token: p.token,
    purpose: p.purpose,
    tel: p.tel,
    amount: p.amount,
    currency: p.currency,
    expiresAt: checkout.expiresAt,
  };
}
