// Lua scripts, loaded once from src/store/lua and run with EVALSHA (one round trip, atomic).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import { guarded } from './redis.js';

const dir = new URL('./lua/', import.meta.url);
const read = (name: string) => readFileSync(new URL(`${name}.lua`, dir), 'utf8');

export class Script {
  private readonly sha: string;
  constructor(private readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }
  async run(redis: Redis, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    return guarded(async () => {
      try {
        return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
      } catch (err) {
        if (err instanceof Error && err.message.startsWith('NOSCRIPT')) {
          return redis.eval(this.source, keys.length, ...keys, ...args);
        }
        throw err;
      }
    });
  }
}

/** A script with shared functions prepended (Redis scripts cannot include files). */
const withFns = (name: string, ...fns: string[]) => new Script([...fns.map(read), read(name)].join('\n'));
const withAssign = (name: string) => withFns(name, 'assign-fn');

/** A claim (`<name>-claim.lua`) made together with storing a session (claim-and-save.lua). */
const withSession = (name: string) => withFns('claim-and-save', `${name}-claim`, 'save-session-fn');

export const claims = {
  reserve: withSession('reserve'),
  numberFree: withSession('number-free'),
  requestApproval: withSession('request-approval'),
  redeemCode: withFns('claim-and-save', 'assign-fn', 'leaf-fn', 'redeem-code-claim', 'save-session-fn'),
  acceptPayer: withFns('claim-and-save', 'leaf-fn', 'accept-payer-claim', 'save-session-fn'),
};

export const scripts = {
  /** The reserve claim alone (a hold made outside a step's commit). */
  reserve: withFns('claim-only', 'reserve-claim'),
  release: new Script(read('release')),
  listNumbers: new Script(read('list-numbers')),
  takeSession: new Script(read('take-session')),
  saveSession: withFns('save-session', 'save-session-fn'),
  accountState: new Script(read('account-state')),
  approve: withAssign('approve'),
  assign: withAssign('assign'),
  deny: new Script(read('deny')),
  openPayment: new Script(read('open-payment')),
  replaceCheckout: new Script(read('replace-checkout')),
  fulfilPayment: withFns('fulfil-payment', 'assign-fn', 'unindex-fn'),
  closePayment: withFns('close-payment', 'unindex-fn'),
  holdProcessing: new Script(read('hold-processing')),
  recordCharge: new Script(read('record-charge')),
  createCode: new Script(read('create-code')),
  revokeCode: new Script(read('revoke-code')),
  removeLeaf: new Script(read('remove-leaf')),
  raiseCounter: new Script(read('raise-counter')),
  inviteLeaf: new Script(read('invite-leaf')),
  creditInviter: new Script(read('credit-inviter')),
  declineInvite: new Script(read('decline-invite')),
  releaseLease: new Script(read('release-lease')),
};
