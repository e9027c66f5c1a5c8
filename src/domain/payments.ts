// Facts about card payments that commands and the payment service share.

/** Checkout Sessions live an hour (Stripe allows 30 min to 24 h); a signup's number is held as long. */
export const CHECKOUT_MINUTES = 60;

/** The card processor cannot be reached or refused the request: the person is told to try again shortly. */
export class PaymentsUnreachable extends Error {
  override name = 'PaymentsUnreachable';
}
