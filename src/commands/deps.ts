// What commands may use, as narrow interfaces: tests can pass fixed clocks and ids, the store stays swappable.
import type { Catalogue } from '../payments/catalogue.js';
import type { AccountStore } from '../store/accounts.js';
import type { NumberStore } from '../store/numbers.js';
import type { Purchase } from '../store/payments.js';

export type { Purchase };
import type { AccountState } from './account-state.js';

export interface Settings {
  readonly sessionTtlSeconds: number;
  readonly trialPlans: { readonly first: string; readonly second: string };
  /** Activation methods offered at the options step, in order (ids from src/commands/signup/methods). */
  readonly activationMethods: readonly string[];
  readonly adminJids: readonly string[];
  readonly catalogue: Catalogue;
}

export interface Payments {
  /**
   * A payment link for the requester, reusing the open one for the same purchase (pressing pay twice gives the
   * same link). 'number-gone' when the signup's number is no longer held. Throws PaymentsUnreachable.
   */
  checkout(jid: string, purchase: Purchase, sessionOwner: string): Promise<{ readonly url: string } | 'number-gone'>;
  balance(jid: string): Promise<number>;
}

export interface Deps {
  readonly now: () => Date;
  readonly newId: () => string;
  readonly settings: Settings;
  readonly numbers: Pick<NumberStore, 'list' | 'info' | 'reserve' | 'release'>;
  readonly accounts: Pick<AccountStore, 'requestApproval' | 'pendingList' | 'pending' | 'approve' | 'deny' | 'assign'>;
  readonly accountState: (bareJid: string) => Promise<AccountState>;
  /** Send a chat message from the bot (best effort: a person offline gets it when Prosody stores it). */
  readonly notify: (to: string, text: string) => Promise<void>;
  /** Card payments; absent when Stripe is not configured. */
  readonly payments?: Payments;
}
