// Lua scripts, loaded once from src/store/lua and run with EVALSHA (one round trip, atomic).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import { guarded, replicated } from './redis.js';

const dir = new URL('./lua/', import.meta.url);
const read = (name: string) => readFileSync(new URL(`${name}.lua`, dir), 'utf8');

export class Script {
  private readonly sha: string;
  constructor(
    private readonly source: string,
    /** Whether what it writes must reach the replicas before anyone is told (REDIS_WAIT_REPLICAS); not for reads and locks. */
    private readonly durable = true,
  ) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }
  async run(redis: Redis, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    const send = (call: (conn: Redis) => Promise<unknown>) => (this.durable ? replicated(redis, call) : call(redis));
    return guarded(async () => {
      try {
        return await send((c) => c.evalsha(this.sha, keys.length, ...keys, ...args));
      } catch (err) {
        if (err instanceof Error && err.message.startsWith('NOSCRIPT')) {
          return send((c) => c.eval(this.source, keys.length, ...keys, ...args));
        }
        throw err;
      }
    });
  }
}

/** A script's source, with shared functions prepended (Redis scripts cannot include files). */
const source = (name: string, fns: readonly string[]) => [...fns.map(read), read(name)].join('\n');

/** A script that only reads, or writes nothing that must survive a failover (a step's lock). */
const reading = (name: string, ...fns: string[]) => new Script(source(name, fns), false);

/** A script with shared functions prepended. */
const withFns = (name: string, ...fns: string[]) => new Script(source(name, fns));
const withAssign = (name: string) => withFns(name, 'assign-fn');

/** A claim (`<name>-claim.lua`) made together with storing a session (claim-and-save.lua). */
const withSession = (name: string) => withFns('claim-and-save', 'tell-fn', `${name}-claim`, 'save-session-fn');

export const claims = {
  reserve: withSession('reserve'),
  numberFree: withSession('number-free'),
  requestApproval: withSession('request-approval'),
  redeemCode: withFns('claim-and-save', 'assign-fn', 'leaf-fn', 'redeem-code-claim', 'save-session-fn'),
  acceptPayer: withFns('claim-and-save', 'tell-fn', 'leaf-fn', 'accept-payer-claim', 'save-session-fn'),
};

export const scripts = {
  /** The reserve claim alone (a hold made outside a step's commit). */
  reserve: withFns('claim-only', 'reserve-claim'),
  release: new Script(read('release')),
  listNumbers: reading('list-numbers'),
  takeSession: reading('take-session', 'account-state-fn'),
  saveSession: withFns('save-session', 'save-session-fn'),
  accountState: reading('account-state', 'account-state-fn'),
  approve: withAssign('approve'),
  assign: withAssign('assign'),
  deny: new Script(read('deny')),
  openPayment: new Script(read('open-payment')),
  replaceCheckout: new Script(read('replace-checkout')),
  fulfilPayment: withFns('fulfil-payment', 'assign-fn', 'unindex-fn'),
  closePayment: withFns('close-payment', 'unindex-fn', 'tell-fn'),
  holdProcessing: withFns('hold-processing', 'tell-fn'),
  recordCharge: withFns('record-charge', 'tell-fn'),
  createCode: new Script(read('create-code')),
  revokeCode: new Script(read('revoke-code')),
  removeLeaf: new Script(read('remove-leaf')),
  raiseCounter: new Script(read('raise-counter')),
  inviteLeaf: withFns('invite-leaf', 'tell-fn'),
  creditInviter: withFns('credit-inviter', 'tell-fn'),
  declineInvite: new Script(read('decline-invite')),
  releaseLease: new Script(read('release-lease')),
  acquireLease: new Script(read('acquire-lease')),
  rolloverApply: new Script(read('rollover-apply')),
  noticeOnce: new Script(read('notice-once')),
  releaseNumber: new Script(read('release-number')),
  outboxLeave: new Script(read('outbox-leave')),
  deadlineTake: new Script(read('deadline-take')),
  holdLapse: withFns('hold-lapse', 'tell-fn'),
  webChoose: withFns('web-choose', 'tell-fn'),
  webResend: withFns('web-resend', 'tell-fn'),
  webDecline: new Script(read('web-decline')),
};
