// A conversation's session: versioned JSON bound to its owner, naming its command and step by id, so any
// process (or a later release) can continue it. Reading one back checks everything; what cannot be read is
// answered cleanly by the runtime, never cast.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Command, CommandData, FormView } from '../commands/contract.js';
import type { Registry } from '../commands/registry.js';
import type { Text } from '../domain/text.js';
import { formSchema } from '../forms/schema.js';

/** 1: the first release (no data version). 2: `dataVersion` names the version of the command's data. */
export const SESSION_VERSION = 2;

export interface ChatMark {
  /** Id of the chat message that showed the current menu; it starts with the menu's fingerprint. */
  readonly messageId: string;
  readonly shownAt: number;
  /** Answers to earlier questions of a multi-field form, asked one message at a time. */
  readonly answers?: Readonly<Record<string, readonly string[]>>;
}

export interface Session {
  readonly v: typeof SESSION_VERSION;
  readonly id: string;
  readonly node: string;
  /** Full JID for ad-hoc (XEP-0050 binds a session to the requester), bare JID for chat. */
  readonly owner: string;
  readonly step: string;
  readonly dataVersion: number;
  readonly data: CommandData;
  /** Steps to go back to, most recent last. */
  readonly history: readonly string[];
  /** The form last shown: submissions are checked against it, chat letters index into it. */
  readonly shown: FormView;
  readonly fingerprint: string;
  /** ms since epoch; past it the session answers session-expired. */
  readonly expiresAt: number;
  /** Chat adapter bookkeeping. */
  readonly chat?: ChatMark;
}

/** Identifies what a menu offered: step, fields and choices. A reply to another fingerprint is stale. */
export function fingerprint(step: string, view: FormView): string {
  const shape = view.form.fields.map((f) => [f.type, f.var, 'options' in f ? f.options.map((o) => o.value) : []]);
  return createHash('sha256')
    .update(JSON.stringify([step, shape]))
    .digest('base64url')
    .slice(0, 12);
}

const textSchema: z.ZodType<Text> = z.union([
  z.string(),
  z.array(z.union([z.string(), z.object({ command: z.string(), word: z.string().optional(), capital: z.boolean().optional() })])),
]);
const formViewSchema: z.ZodType<FormView> = z.object({
  kind: z.literal('form'),
  form: formSchema,
  actions: z.array(z.enum(['next', 'complete'])),
  defaultAction: z.enum(['next', 'complete']),
  notes: z.array(z.object({ type: z.enum(['info', 'warn', 'error']), text: textSchema })).optional(),
});
const envelope = {
  id: z.string(),
  node: z.string(),
  owner: z.string(),
  step: z.string(),
  data: z.unknown(),
  history: z.array(z.string()),
  shown: formViewSchema,
  fingerprint: z.string(),
  expiresAt: z.number(),
  chat: z.object({ messageId: z.string(), shownAt: z.number(), answers: z.record(z.string(), z.array(z.string())).optional() }).optional(),
};
const stored = z.discriminatedUnion('v', [
  // The first release's sessions carried their command's data at its version 1.
  z.object({ v: z.literal(1), ...envelope }).transform((s) => ({ ...s, v: SESSION_VERSION as typeof SESSION_VERSION, dataVersion: 1 })),
  z.object({ v: z.literal(SESSION_VERSION), dataVersion: z.number().int(), ...envelope }),
]);

export type ReadBack = { readonly ok: true; readonly session: Session; readonly cmd: Command } | { readonly ok: false };

/**
 * A stored document as a session of a registered command: envelope, command, step ids and the command's own
 * data all checked (and migrated from older versions). `ok: false` for anything this release cannot continue.
 */
export function readSession(doc: unknown, registry: Registry): ReadBack {
  const env = stored.safeParse(doc);
  if (!env.success) return { ok: false };
  const s = env.data;
  const cmd = registry.get(s.node);
  if (!cmd?.steps.has(s.step) || !s.history.every((h) => cmd.steps.has(h))) return { ok: false };
  const data = cmd.readData(s.dataVersion, s.data);
  if (data === undefined) return { ok: false };
  const { chat, ...rest } = s;
  return { ok: true, cmd, session: { ...rest, dataVersion: cmd.dataVersion, data, ...(chat ? { chat } : {}) } };
}
