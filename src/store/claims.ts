// Claims (domain/ports.ts) as Redis scripts: which script, keys and arguments make each one, with a session
// write after them (SessionsPort.commit appends the session's keys and arguments).
import { isoDay, monthOf } from '../domain/months.js';
import { type Claim, type Redeem, webHolder } from '../domain/ports.js';
import { holdDeadline } from './deadlines.js';
import { keys } from './keys.js';
import { tellsArg } from './outbox.js';
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
    case 'reserve': {
      const ttl = Math.max(1, Math.ceil(c.ttlSeconds));
      return {
        script: claims.reserve,
        keys: [keys.numbersAvailable, keys.reservation(c.tel), keys.deadlines, keys.webChoice(c.jid)],
        args: [
          c.tel,
          c.holder,
          ttl,
          holdDeadline(c.tel, c.holder, c.jid),
          c.at.getTime() + ttl * 1000,
          c.jid,
          holdDeadline(c.tel, webHolder(c.jid), c.jid),
        ],
      };
    }
    case 'request-approval':
      return {
        script: claims.requestApproval,
        keys: [
          keys.reservation(c.signup.tel),
          keys.pending(c.signup.jid),
          keys.pendingApprovals,
          keys.numbersAvailable,
          keys.outbox,
          keys.deadlines,
        ],
        args: [
          c.signup.tel,
          c.holder,
          c.signup.jid,
          JSON.stringify(c.signup),
          c.at.getTime(),
          tellsArg(c.tells),
          holdDeadline(c.signup.tel, c.holder, c.signup.jid),
        ],
      };
    case 'redeem-code':
      return redeemCall(c.redeem);
    case 'accept-payer': {
      const months = [0, 1, 2, 3].map((i) => monthOf(c.at, i));
      return {
        script: claims.acceptPayer,
        keys: [
          keys.payerInvite(c.jid),
          keys.leafMain(c.jid),
          keys.balancePrepaid(c.main),
          keys.leafMain(c.main),
          keys.leafJidsIndex(c.main),
          keys.leafJids(c.list),
          keys.invitesOf(c.main),
          ...months.map((m) => keys.planAsOf(m, c.main)),
          ...months.map((m) => keys.planAsOf(m, c.jid)),
          keys.outbox,
        ],
        args: [
          c.jid,
          c.main,
          c.list,
          c.trialPlans.first,
          c.trialPlans.second,
          JSON.stringify({ main: c.main, show: c.show }),
          JSON.stringify(c.leafCharge),
          tellsArg(c.tells),
        ],
      };
    }
  }
}

function redeemCall(r: Redeem): ClaimCall {
  const main = r.main ?? '';
  const months = [0, 1, 2, 3].map((i) => monthOf(r.at, i));
  return {
    script: claims.redeemCode,
    keys: [
      keys.code(r.code),
      keys.codeUsedBy(r.code),
      keys.numbersAvailable,
      keys.catapultJid(r.tel),
      keys.reservation(r.tel),
      keys.numbersInfo,
      keys.numbersByPlace,
      keys.jidNumber(r.jid),
      keys.usageStartDay(r.tel),
      keys.leafMain(r.jid),
      keys.invitedBy(r.jid),
      // A payer code's main; for other codes these name the new account's own keys, which the script only reads.
      keys.balancePrepaid(main || r.jid),
      keys.leafMain(main || r.jid),
      keys.leafJidsIndex(main || r.jid),
      keys.leafJids(r.list ?? '0'),
      ...months.map((m) => keys.planAsOf(m, main || r.jid)),
      ...months.map((m) => keys.planAsOf(m, r.jid)),
      keys.accounts,
      keys.deadlines,
    ],
    args: [
      r.code,
      r.jid,
      r.tel,
      r.holder,
      r.kind,
      main,
      r.list ?? '',
      isoDay(r.at),
      r.at.getTime(),
      r.trialPlans.first,
      r.trialPlans.second,
      JSON.stringify({ main, show: r.show ?? 'number' }),
      JSON.stringify(r.leafCharge ?? { prices: {}, days: 1, daysInMonth: 1 }),
      holdDeadline(r.tel, r.holder, r.jid),
    ],
  };
}
