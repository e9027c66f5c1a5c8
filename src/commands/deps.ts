// What commands may use, as the domain's narrow ports: views get the reading half (ReadDeps), submits all of it.
import type { AccountFacts, AccountState } from '../domain/account-state.js';
import type { Catalogue } from '../domain/catalogue.js';
import type {
  AccountsPort,
  Clock,
  CodesPort,
  LeavesPort,
  NewId,
  NumbersPort,
  PaymentsPort,
  TrialPlans,
  UsagePort,
  WebRegisterPort,
} from '../domain/ports.js';

export interface Settings {
  readonly sessionTtlSeconds: number;
  readonly trialPlans: TrialPlans;
  /** Activation methods offered at the options step, in order (ids from src/commands/signup/methods). */
  readonly activationMethods: readonly string[];
  readonly adminJids: readonly string[];
  readonly catalogue: Catalogue;
  readonly referral: ReferralSettings;
  readonly webRegister: WebRegisterSettings;
}

/** The web site's signups (README: signup that starts on the web site). */
export interface WebRegisterSettings {
  /** The web site's own JIDs: only they see and run web-register (WEB_REGISTER_JIDS). */
  readonly jids: readonly string[];
  /** How long a number chosen on the site is held for the person (WEB_REGISTER_HOLD_MINUTES). */
  readonly holdSeconds: number;
  /** Messages the site may have sent to one address per hour, the first and the resends (WEB_REGISTER_MESSAGES_PER_HOUR). */
  readonly messagesPerHour: number;
}

/** Limits on referral codes (README: referral codes and leaf accounts). */
export interface ReferralSettings {
  /** Codes one account may create per calendar month (admins: no limit). */
  readonly codesPerMonth: number;
  /** Days an account must have been paying before it may create codes. */
  readonly minPaidDays: number;
  /** Minor units credited to an inviter's balance when the friend first pays (0: none). */
  readonly inviteCredit: number;
  /** Wrong codes one JID may type per hour. */
  readonly codeTriesPerHour: number;
}

/** What views may call: reads only. */
export interface ReadDeps {
  readonly now: Clock;
  readonly settings: Settings;
  readonly accountState: (bareJid: string) => Promise<AccountState>;
  readonly numbers: Pick<NumbersPort, 'list' | 'info'>;
  readonly accounts: Pick<AccountsPort, 'pendingList' | 'pending'>;
  readonly codes: Pick<CodesPort, 'listOf' | 'find' | 'wrongTries'>;
  readonly leaves: Pick<LeavesPort, 'of' | 'offersOf'>;
  readonly usage: Pick<UsagePort, 'days'>;
  /** Card payments; absent when Stripe is not configured. */
  readonly payments?: Pick<PaymentsPort, 'balance' | 'openFor'>;
}

/** What submits may call besides: the writes. */
export interface Deps extends ReadDeps {
  readonly newId: NewId;
  /** A fresh referral code, drawn at random (domain/codes.ts). */
  readonly newCode: () => string;
  readonly codes: CodesPort;
  readonly leaves: LeavesPort;
  readonly numbers: NumbersPort;
  readonly accounts: Omit<AccountsPort, 'facts'>;
  /** The account state from facts read along with something else (a session's take): accountState's derivation. */
  readonly stateOf: (bareJid: string, facts: AccountFacts) => AccountState;
  readonly web: WebRegisterPort;
  readonly payments?: PaymentsPort;
}
