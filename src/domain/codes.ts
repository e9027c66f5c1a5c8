// Referral codes (MultiAccountAdminAndPayments, SignupAndUpgradeFlow's code option): what a code is, how it is
// written and read back, whether it can still be used, and who may make one. Pure.
import type { AccountState } from './account-state.js';
import { NODES } from './nodes.js';
import { Send, type Text, text } from './text.js';

/**
 * The letters a code is made of: no 0/O, 1/I/L (easy to confuse when read aloud or typed on a phone), no U (as
 * Crockford's base 32, so no word is spelled by accident). 30 letters.
 */
export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
/** 10 letters: 30^10 ≈ 5.9·10^14 codes, about 49 bits. */
export const CODE_LENGTH = 10;

/**
 * What a code does for whoever signs up with it:
 * - `payer`: they become a leaf account, paid from the creator's prepaid balance;
 * - `invite`: a friend's signup skips the approval queue and gets the free trial (the creator may earn a credit);
 * - `admin`: the same as invite, for many people (a conference), made by an admin.
 */
export type CodeKind = 'payer' | 'invite' | 'admin';

export interface ReferralCode {
  /** Normalised: upper case, no separators. */
  readonly code: string;
  readonly kind: CodeKind;
  readonly creator: string;
  /** How many more signups it allows; undefined: no limit. */
  readonly usesLeft?: number;
  /** ms since epoch; undefined: never. */
  readonly expiresAt?: number;
  readonly createdAt: number;
  readonly revoked: boolean;
  /** The numbers of the accounts that signed up with it, in order (never their JIDs). */
  readonly usedBy: readonly string[];
}

/** A fresh code from random bytes (one byte per letter; bytes ≥ 240 are skipped, so every letter is equally likely). */
export function codeFromBytes(bytes: Uint8Array): string | undefined {
  let out = '';
  for (const b of bytes) {
    if (b >= 240) continue;
    out += CODE_ALPHABET[b % CODE_ALPHABET.length];
    if (out.length === CODE_LENGTH) return out;
  }
  return undefined;
}

/** How a code is shown: two groups of five (`ABCDE-FGHJK`), easy to read aloud. */
export function formatCode(code: string): string {
  return code.length === CODE_LENGTH ? `${code.slice(0, 5)}-${code.slice(5)}` : code;
}

/**
 * What a person typed → the code it can only be, or undefined. Case, spaces and dashes do not matter; letters a
 * code never has (0, O, 1, I, L, U) make it no code at all.
 */
export function readCode(typed: string): string | undefined {
  const s = typed.toUpperCase().replace(/[\s\-_.]/g, '');
  if (s.length !== CODE_LENGTH) return undefined;
  for (const c of s) if (!CODE_ALPHABET.includes(c)) return undefined;
  return s;
}

/** Why a code cannot be used now, or undefined if it can. */
export function codeProblem(
  c: Pick<ReferralCode, 'revoked' | 'usesLeft' | 'expiresAt'>,
  now: Date,
): 'revoked' | 'used-up' | 'expired' | undefined {
  if (c.revoked) return 'revoked';
  if (c.expiresAt !== undefined && c.expiresAt <= now.getTime()) return 'expired';
  if (c.usesLeft !== undefined && c.usesLeft <= 0) return 'used-up';
  return undefined;
}

export const KIND_NAMES: Readonly<Record<CodeKind, string>> = {
  payer: 'paid by you',
  invite: 'invite',
  admin: 'admin invite',
};

/** One line about a code for its creator: `ABCDE-FGHJK (paid by you): 1 use left, until 2026-12-31; used by +1 416 …`. */
export function describeCode(c: ReferralCode, now: Date, formatTel: (tel: string) => string): string {
  const problem = codeProblem(c, now);
  const uses = c.usesLeft === undefined ? 'no use limit' : `${c.usesLeft} ${c.usesLeft === 1 ? 'use' : 'uses'} left`;
  const until = c.expiresAt === undefined ? '' : `, until ${new Date(c.expiresAt).toISOString().slice(0, 10)}`;
  const state =
    problem === 'revoked' ? 'revoked' : problem === 'expired' ? 'expired' : problem === 'used-up' ? 'used up' : `${uses}${until}`;
  const used = c.usedBy.length ? `; used by ${c.usedBy.map(formatTel).join(', ')}` : '';
  return `${formatCode(c.code)} (${KIND_NAMES[c.kind]}): ${state}${used}`;
}

/** What decides who may make codes (ReferralSettings, the requester). */
export interface MakerRules {
  readonly minPaidDays: number;
  readonly isAdmin: boolean;
}

/**
 * Whether an account pays for itself from its own prepaid balance: active on a paid plan, with a balance key, and
 * nobody else's leaf. Only such accounts make payer and invite codes, and pay for leaves.
 */
export function paysForItself(state: AccountState): boolean {
  return state.kind === 'active' && state.plan !== undefined && state.hasBalance === true && state.leafOf === undefined;
}

/** The kinds of code this requester may make now, or why they may make none. */
export function codeKindsFor(state: AccountState, rules: MakerRules, now: Date): { kinds: CodeKind[] } | { refused: Text } {
  const own = ownKinds(state, rules.minPaidDays, now);
  if (rules.isAdmin) return { kinds: [...('kinds' in own ? own.kinds : []), 'admin'] };
  return own;
}

function ownKinds(state: AccountState, minPaidDays: number, now: Date): { kinds: CodeKind[] } | { refused: Text } {
  if (state.kind === 'active' && state.leafOf)
    return { refused: 'Your account is paid for by someone else, so you cannot make referral codes.' };
  if (state.kind === 'trial')
    return { refused: text`Referral codes are for accounts that pay for themselves. ${Send(NODES.upgrade)} to leave the trial.` };
  if (!paysForItself(state))
    return {
      refused: text`Referral codes are for accounts that pay for themselves, with a prepaid balance. ${Send(NODES.status)} to see where you stand.`,
    };
  const since = state.kind === 'active' ? state.paidSince : undefined;
  if (minPaidDays > 0 && since) {
    const from = new Date(`${since}T00:00:00Z`).getTime();
    const allowed = from + minPaidDays * 86_400_000;
    if (now.getTime() < allowed)
      return {
        refused: `You can make referral codes once your account has paid for ${minPaidDays} days, from ${new Date(allowed).toISOString().slice(0, 10)}.`,
      };
  }
  return { kinds: ['payer', 'invite'] };
}
