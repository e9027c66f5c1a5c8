// Ports → the runtime and the payment service: the one wiring used by the bot (ports on Redis, a Stripe
// gateway) and by the in-process test kit (ports in memory or on Redis, any gateway).
import type { Deps, Settings } from './commands/deps.js';
import { defaultRegistry } from './commands/registry.js';
import { deriveAccountState } from './domain/account-state.js';
import type {
  AccountsPort,
  Clock,
  CodesPort,
  LeavesPort,
  WebRegisterPort,
  UsagePort,
  ContactsPort,
  Log,
  Metrics,
  NewId,
  NumbersPort,
  PaymentRecords,
  SessionsPort,
} from './domain/ports.js';
import { noMetrics } from './domain/ports.js';
import type { Gateway } from './payments/gateway.js';
import { PaymentService } from './payments/service.js';
import { Runtime } from './runtime/runtime.js';

export interface Ports {
  readonly numbers: NumbersPort;
  readonly accounts: AccountsPort;
  readonly sessions: SessionsPort;
  readonly contacts: ContactsPort;
  readonly paymentRecords: PaymentRecords;
  readonly codes: CodesPort;
  readonly leaves: LeavesPort;
  readonly web: WebRegisterPort;
  readonly usage: UsagePort;
}

export interface Assembly {
  readonly runtime: Runtime;
  /** Present when card payments are configured. */
  readonly payments?: PaymentService;
}

export interface AssembleOptions {
  readonly settings: Settings;
  readonly ports: Ports;
  readonly now: Clock;
  readonly newId: NewId;
  /** Payment link tokens (longer than ids: they are the only key to a payment page). */
  readonly newToken: NewId;
  /** Referral codes (random letters from domain/codes.ts). */
  readonly newCode: () => string;
  readonly log: Log;
  /** Counts of steps, sessions and webhooks for the operators (none by default). */
  readonly metrics?: Metrics;
  /** Card payments: the processor and where people reach the payment pages. */
  readonly card?: { readonly gateway: Gateway; readonly publicUrl: string };
}

export function assemble(o: AssembleOptions): Assembly {
  const { settings, ports, now } = o;
  const trial = new Set([settings.trialPlans.first, settings.trialPlans.second]);
  const stateOf: Deps['stateOf'] = (jid, facts) => deriveAccountState(jid, facts, now(), (p) => trial.has(p));
  const accountState: Deps['accountState'] = async (jid) => stateOf(jid, await ports.accounts.facts(jid, now()));
  const payments = o.card
    ? new PaymentService({
        store: ports.paymentRecords,
        gateway: o.card.gateway,
        catalogue: settings.catalogue,
        trialPlans: settings.trialPlans,
        admins: settings.adminJids,
        publicUrl: o.card.publicUrl,
        now,
        newToken: o.newToken,
        accountState,
        log: o.log,
        inviteCredit: settings.referral.inviteCredit,
      })
    : undefined;
  const deps: Deps = {
    now,
    newId: o.newId,
    newCode: o.newCode,
    codes: ports.codes,
    leaves: ports.leaves,
    web: ports.web,
    usage: ports.usage,
    settings,
    numbers: ports.numbers,
    accounts: ports.accounts,
    accountState,
    stateOf,
    ...(payments ? { payments } : {}),
  };
  const runtime = new Runtime(
    defaultRegistry({ cardPayments: payments !== undefined }),
    deps,
    ports.sessions,
    ports.contacts,
    o.metrics ?? noMetrics,
  );
  return { runtime, ...(payments ? { payments } : {}) };
}
