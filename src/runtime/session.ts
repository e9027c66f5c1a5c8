// A conversation's session: versioned JSON bound to its owner, naming its command and step by id, so any
// process (or a later release) can continue it. It keeps ids and answers, not words: the form it showed is kept
// as what a reply is checked against (field types, vars, option values), and shown again by running its step's
// view. Reading one back checks everything; what cannot be read is answered cleanly by the runtime, never cast.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Command, CommandData, FormView } from '../commands/contract.js';
import type { Registry } from '../commands/registry.js';
import type { Text } from '../domain/text.js';
import { formSchema } from '../forms/schema.js';
import { FIELD_TYPES, type Field, type FieldType, type Validation } from '../forms/types.js';

/**
 * 1: the first release (no data version). 2: `dataVersion` names the version of the command's data. 3: compact
 * (short names, the shown form without its words; encodeSession).
 */
export const SESSION_VERSION = 3;

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
  /** The form last shown, without its words: submissions are checked against it, chat letters index into it. */
  readonly shown: Shown;
  readonly fingerprint: string;
  /** ms since epoch; past it the session answers session-expired. */
  readonly expiresAt: number;
  /** Chat adapter bookkeeping. */
  readonly chat?: ChatMark;
}

/**
 * What a form asked, without its words (title, instructions, notes, labels; an option is its value): enough to
 * check a submission, to read a chat letter, and to echo hidden values. Words are shown from the step's view.
 */
export interface Shown {
  readonly form: { readonly fields: readonly Field[] };
  readonly actions: FormView['actions'];
  readonly defaultAction: FormView['defaultAction'];
}

/**
 * A view as a session keeps it: each field as it reads back from its stored form (storedField, readField), so
 * what a session holds and what is read back are one description; fixed text is not asked, so it is left out.
 */
export function shownOf(view: Pick<FormView, 'form' | 'actions' | 'defaultAction'>): Shown {
  const fields = view.form.fields.flatMap((f) => {
    if (f.type === 'fixed') return [];
    const kept = readField(storedField(f));
    if (!kept) throw new Error(`field ${f.var} (${f.type}) does not read back from how a session stores it`);
    return [kept];
  });
  return { form: { fields }, actions: view.actions, defaultAction: view.defaultAction };
}

/** Identifies what a menu offered: step, fields and choices. A reply to another fingerprint is stale. */
export function fingerprint(step: string, view: FormView): string {
  const shape = view.form.fields.map((f) => [f.type, f.var, 'options' in f ? f.options.map((o) => o.value) : []]);
  return createHash('sha256')
    .update(JSON.stringify([step, shape]))
    .digest('base64url')
    .slice(0, 12);
}

// ---- reading and writing ----

/** A stored field: [type, var, 1 if required, then the options' values (and 1 if open), a hidden value, or a rule]. */
type StoredField = readonly [FieldType, string, 0 | 1, ...unknown[]];

/** The version 3 document: short names, the shown form as StoredFields, actions as letters (the default in capitals). */
interface Stored {
  readonly v: 3;
  readonly id: string;
  readonly n: string;
  /** Left out when the key names the owner (a chat session's key is its owner's bare JID). */
  readonly o?: string;
  readonly s: string;
  readonly dv: number;
  readonly d: CommandData;
  readonly h: readonly string[];
  readonly f: readonly StoredField[];
  readonly a: string;
  readonly fp: string;
  readonly e: number;
  /** The chat mark: `m` its message id after the fingerprint and a dot (or `mi` the whole id), `t` shown at, `a` answers. */
  readonly c?: {
    readonly m?: string;
    readonly mi?: string;
    readonly t: number;
    readonly a?: Readonly<Record<string, readonly string[]>>;
  };
}

/**
 * A session as the document a store keeps (readSession reads it back). `keyOwner`: the owner its key names (a
 * chat session's), left out of the document.
 */
export function encodeSession(s: Session, keyOwner?: string): Stored {
  const c = s.chat;
  const prefix = `${s.fingerprint}.`;
  const id = c && (c.messageId.startsWith(prefix) ? { m: c.messageId.slice(prefix.length) } : { mi: c.messageId });
  return {
    v: SESSION_VERSION,
    id: s.id,
    n: s.node,
    ...(s.owner === keyOwner ? {} : { o: s.owner }),
    s: s.step,
    dv: s.dataVersion,
    d: s.data,
    h: s.history,
    f: s.shown.form.fields.map(storedField),
    a: s.shown.actions.map((x) => (x === s.shown.defaultAction ? x[0]?.toUpperCase() : x[0])).join(''),
    fp: s.fingerprint,
    e: s.expiresAt,
    ...(c ? { c: { ...id, t: c.shownAt, ...(c.answers ? { a: c.answers } : {}) } } : {}),
  };
}

function storedField(f: Field): StoredField {
  const req = f.type !== 'fixed' && f.required ? 1 : 0;
  const v = f.var ?? '';
  switch (f.type) {
    case 'list-single':
      return f.open ? [f.type, v, req, f.options.map((o) => o.value), 1] : [f.type, v, req, f.options.map((o) => o.value)];
    case 'list-multi':
      return [f.type, v, req, f.options.map((o) => o.value)];
    case 'hidden':
      return [f.type, v, req, f.value];
    case 'text-single':
    case 'text-private':
      return f.validate ? [f.type, v, req, f.validate] : [f.type, v, req];
    default:
      return [f.type, v, req];
  }
}

const ACTION_LETTERS = { n: 'next', c: 'complete' } as const;
const isString = (x: unknown): x is string => typeof x === 'string';
const isStrings = (x: unknown): x is string[] => Array.isArray(x) && x.every(isString);
const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** A stored field back, or undefined when it is not one this release wrote. */
function readField(x: unknown): Field | undefined {
  if (!Array.isArray(x) || x.length < 3) return undefined;
  const [type, v, req, extra, open] = x as unknown[];
  if (!(FIELD_TYPES as readonly unknown[]).includes(type) || !isString(v) || (req !== 0 && req !== 1)) return undefined;
  const required = req === 1 ? { required: true } : {};
  switch (type as FieldType) {
    case 'list-single':
    case 'list-multi': {
      if (!isStrings(extra)) return undefined;
      const options = extra.map((value) => ({ value, label: '' }));
      return type === 'list-single'
        ? { type: 'list-single', var: v, ...required, options, ...(open === 1 ? { open: true } : {}) }
        : { type: 'list-multi', var: v, ...required, options };
    }
    case 'hidden':
      return isString(extra) ? { type: 'hidden', var: v, value: extra } : undefined;
    case 'text-single':
    case 'text-private': {
      if (extra === undefined) return { type: type as 'text-single', var: v, ...required };
      const rule = readValidation(extra);
      return rule ? { type: type as 'text-single', var: v, ...required, validate: rule } : undefined;
    }
    case 'fixed':
      return undefined;
    default:
      return { type: type as 'boolean', var: v, ...required };
  }
}

function readValidation(x: unknown): Validation | undefined {
  if (!isRecord(x)) return undefined;
  const { datatype, range, regex } = x;
  if (datatype !== undefined && datatype !== 'xs:string' && datatype !== 'xs:integer' && datatype !== 'xs:date') return undefined;
  if (regex !== undefined && !isString(regex)) return undefined;
  if (range !== undefined && !(isRecord(range) && [range.min, range.max].every((n) => n === undefined || typeof n === 'number')))
    return undefined;
  return x as Validation;
}

/** Actions from their letters: the capital one is the default. */
function readActions(x: unknown): Pick<Shown, 'actions' | 'defaultAction'> | undefined {
  if (!isString(x) || !/^[ncNC]{1,2}$/.test(x)) return undefined;
  const actions = [...x].map((l) => ACTION_LETTERS[l.toLowerCase() as 'n' | 'c']);
  const defaults = [...x].filter((l) => l === l.toUpperCase());
  if (defaults.length !== 1 || new Set(actions).size !== actions.length) return undefined;
  return { actions, defaultAction: ACTION_LETTERS[(defaults[0] as string).toLowerCase() as 'n' | 'c'] };
}

function readChat(x: unknown, fingerprint: string): ChatMark | undefined | false {
  if (x === undefined) return undefined;
  if (!isRecord(x) || typeof x.t !== 'number') return false;
  const messageId = isString(x.m) ? `${fingerprint}.${x.m}` : isString(x.mi) ? x.mi : undefined;
  if (messageId === undefined) return false;
  if (x.a === undefined) return { messageId, shownAt: x.t };
  if (!isRecord(x.a) || !Object.values(x.a).every(isStrings)) return false;
  return { messageId, shownAt: x.t, answers: x.a as Record<string, string[]> };
}

/** A version 3 document as a session's envelope (its command's data still unchecked), or undefined. */
function readStored(doc: Record<string, unknown>, keyOwner: string | undefined): (Omit<Session, 'data'> & { data: unknown }) | undefined {
  const { id, n, s, dv, d, h, f, a, fp, e, c } = doc;
  const o = doc.o ?? keyOwner;
  if (!isString(id) || !isString(n) || !isString(o) || !isString(s) || !Number.isInteger(dv) || !isStrings(h)) return undefined;
  if (!isString(fp) || typeof e !== 'number' || !Array.isArray(f)) return undefined;
  const fields = f.map(readField);
  const actions = readActions(a);
  const chat = readChat(c, fp);
  if (!actions || chat === false || !fields.every((x): x is Field => x !== undefined)) return undefined;
  return {
    v: SESSION_VERSION,
    id,
    node: n,
    owner: o,
    step: s,
    dataVersion: dv as number,
    data: d,
    history: h,
    shown: { form: { fields }, ...actions },
    fingerprint: fp,
    expiresAt: e,
    ...(chat ? { chat } : {}),
  };
}

// Versions 1 and 2 kept the whole form as shown; read back, it is kept as version 3 keeps it.
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
  shown: formViewSchema.transform(shownOf),
  fingerprint: z.string(),
  expiresAt: z.number(),
  chat: z.object({ messageId: z.string(), shownAt: z.number(), answers: z.record(z.string(), z.array(z.string())).optional() }).optional(),
};
const older = z.discriminatedUnion('v', [
  // The first release's sessions carried their command's data at its version 1.
  z.object({ v: z.literal(1), ...envelope }).transform((s) => ({ ...s, v: SESSION_VERSION as typeof SESSION_VERSION, dataVersion: 1 })),
  z
    .object({ v: z.literal(2), dataVersion: z.number().int(), ...envelope })
    .transform((s) => ({ ...s, v: SESSION_VERSION as typeof SESSION_VERSION })),
]);

export type ReadBack = { readonly ok: true; readonly session: Session; readonly cmd: Command } | { readonly ok: false };

/**
 * A stored document as a session of a registered command: envelope, command, step ids and the command's own
 * data all checked (and migrated from older versions). `ok: false` for anything this release cannot continue.
 * `keyOwner`: the owner the document's key names (a chat session's), for a document that leaves it out.
 */
export function readSession(doc: unknown, registry: Registry, keyOwner?: string): ReadBack {
  if (!isRecord(doc)) return { ok: false };
  const s = doc.v === SESSION_VERSION ? readStored(doc, keyOwner) : olderSession(doc);
  if (!s) return { ok: false };
  const cmd = registry.get(s.node);
  if (!cmd?.steps.has(s.step) || !s.history.every((h) => cmd.steps.has(h))) return { ok: false };
  const data = cmd.readData(s.dataVersion, s.data);
  if (data === undefined) return { ok: false };
  return { ok: true, cmd, session: { ...s, dataVersion: cmd.dataVersion, data } };
}

function olderSession(doc: unknown): (Omit<Session, 'data'> & { data: unknown }) | undefined {
  const env = older.safeParse(doc);
  if (!env.success) return undefined;
  const { chat, ...rest } = env.data;
  return { ...rest, ...(chat ? { chat } : {}) };
}
