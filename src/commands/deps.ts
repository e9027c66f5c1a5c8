// What commands may use, as narrow interfaces: tests can pass fixed clocks and ids, the store stays swappable.
import type { AccountStore } from '../store/accounts.js';
import type { NumberStore } from '../store/numbers.js';
import type { AccountState } from './account-state.js';

export interface Settings {
  readonly sessionTtlSeconds: number;
  readonly trialPlans: { readonly first: string; readonly second: string };
  /** Activation methods offered at the options step, in order (ids from src/commands/signup/methods). */
  readonly activationMethods: readonly string[];
  readonly adminJids: readonly string[];
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
}
