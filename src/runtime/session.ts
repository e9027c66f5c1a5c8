// A command session: versioned JSON, bound to its owner, naming steps by id so any process can continue it.
import { createHash } from 'node:crypto';
import type { Data, FormView } from './types.js';

export const SESSION_VERSION = 1;

export interface Session {
  readonly v: typeof SESSION_VERSION;
  readonly id: string;
  readonly node: string;
  /** Full JID for ad-hoc (XEP-0050 binds a session to the requester), bare JID for chat. */
  readonly owner: string;
  readonly step: string;
  readonly data: Data;
  /** Steps to go back to, most recent last. */
  readonly history: readonly string[];
  /** The form last shown: submissions are checked against it, chat letters index into it. */
  readonly shown: FormView;
  readonly fingerprint: string;
  /** ms since epoch; past it the session answers session-expired. */
  readonly expiresAt: number;
  /** Chat adapter bookkeeping: id and time of the menu message last sent. */
  readonly chat?: ChatMark;
}

export interface ChatMark {
  readonly messageId: string;
  readonly shownAt: number;
  /** Answers to earlier questions of a multi-field form, asked one message at a time. */
  readonly answers?: Readonly<Record<string, readonly string[]>>;
}

/** Identifies what a menu offered: step, fields and choices. A reply to another fingerprint is stale. */
export function fingerprint(step: string, view: FormView): string {
  const shape = view.form.fields.map((f) => [f.type, f.var, 'options' in f ? f.options.map((o) => o.value) : []]);
  return createHash('sha256').update(JSON.stringify([step, shape])).digest('base64url').slice(0, 12);
}

export function isSession(x: unknown): x is Session {
  const s = x as Session;
  return typeof s === 'object' && s !== null && s.v === SESSION_VERSION && typeof s.id === 'string' && typeof s.step === 'string';
}
