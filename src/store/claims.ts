// Claims (domain/ports.ts) as Redis scripts: which script, keys and arguments make each one, with a session
// write after them (SessionsPort.commit appends the session's keys and arguments).
import type { Claim } from '../domain/ports.js';
import { keys } from './keys.js';
import { claims, type Script } from './scripts.js';

export interface ClaimCall {
  readonly script: Script;
  readonly keys: readonly string[];
  readonly args: readonly (string | number)[];
}

export function claimCall(c: Claim): ClaimCall {
  switch (c.kind) {
    case 'number-free':
      return { script: claims.numberFree, keys: [keys.numbersAvailable, keys.reservation(c.tel)], args: [c.tel, c.holder] };
    case 'reserve':
      return {
        script: claims.reserve,
        keys: [keys.numbersAvailable, keys.reservation(c.tel)],
        args: [c.tel, c.holder, Math.max(1, Math.ceil(c.ttlSeconds))],
      };
    case 'request-approval':
      return {
        script: claims.requestApproval,
        keys: [keys.reservation(c.signup.tel), keys.pending(c.signup.jid), keys.pendingApprovals, keys.numbersAvailable],
        args: [c.signup.tel, c.holder, c.signup.jid, JSON.stringify(c.signup), c.at.getTime()],
      };
  }
}
