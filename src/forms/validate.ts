// XEP-0004 §3.3 field semantics and XEP-0122 (datatypes, <open/>, range, regex): raw submitted strings → typed values.
import type { Field, FieldError, Form, RawValues, Result, Validation, Value, Values } from './types.js';
import { isInputField } from './types.js';
import { isDate } from '../domain/months.js';

type Reader = (field: Field, raw: readonly string[]) => Result<Value | undefined, string>;

const BARE_JID = /^(?:[^@/\s<>'"&]+@)?[^@/\s<>'"&]+(?:\/[^\s]+)?$/;

function single(raw: readonly string[]): Result<string | undefined, string> {
  if (raw.length > 1) return { ok: false, error: 'takes only one value' };
  const v = raw[0]?.trim();
  return { ok: true, value: v === '' ? undefined : v };
}

export function parseBoolean(text: string): boolean | undefined {
  const t = text.trim().toLowerCase();
  if (t === '1' || t === 'true') return true;
  if (t === '0' || t === 'false') return false;
  return undefined;
}

function checkValidation(v: string, rule: Validation | undefined): string | undefined {
  if (!rule) return undefined;
  if (rule.datatype === 'xs:integer' && !/^[+-]?\d+$/.test(v)) return 'must be a whole number';
  if (rule.datatype === 'xs:date' && !isDate(v)) return 'must be a date like 2026-12-01';
  if (rule.range) {
    const n = Number(v);
    if (rule.range.min !== undefined && n < rule.range.min) return `must be at least ${rule.range.min}`;
    if (rule.range.max !== undefined && n > rule.range.max) return `must be at most ${rule.range.max}`;
  }
  if (rule.regex && !new RegExp(`^(?:${rule.regex})$`).test(v)) return 'is not in the expected format';
  return undefined;
}

/** Per-type readers, as a lookup table (Prosody's field_readers). */
const readers: Record<Field['type'], Reader> = {
  boolean: (_f, raw) => {
    const s = single(raw);
    if (!s.ok || s.value === undefined) return s;
    const b = parseBoolean(s.value);
    return b === undefined ? { ok: false, error: 'must be yes or no (true or false)' } : { ok: true, value: b };
  },
  fixed: () => ({ ok: true, value: undefined }),
  hidden: (_f, raw) => single(raw),
  'jid-single': (_f, raw) => {
    const s = single(raw);
    if (!s.ok || s.value === undefined) return s;
    return BARE_JID.test(s.value) ? s : { ok: false, error: 'is not a valid address' };
  },
  'jid-multi': (_f, raw) => {
    const vs = raw.map((v) => v.trim()).filter((v) => v !== '');
    if (vs.some((v) => !BARE_JID.test(v))) return { ok: false, error: 'contains an invalid address' };
    return { ok: true, value: vs.length ? vs : undefined };
  },
  'text-single': (f, raw) => {
    const s = single(raw);
    if (!s.ok || s.value === undefined || (f.type !== 'text-single' && f.type !== 'text-private')) return s;
    const bad = checkValidation(s.value, f.validate);
    return bad ? { ok: false, error: bad } : s;
  },
  'text-private': (f, raw) => readers['text-single'](f, raw),
  'text-multi': (_f, raw) => ({ ok: true, value: raw.length ? raw : undefined }),
  'list-single': (f, raw) => {
    const s = single(raw);
    if (!s.ok || s.value === undefined || f.type !== 'list-single') return s;
    if (f.open || f.options.some((o) => o.value === s.value)) return s;
    return { ok: false, error: 'is not one of the choices' };
  },
  'list-multi': (f, raw) => {
    if (f.type !== 'list-multi') return { ok: true, value: undefined };
    const bad = raw.find((v) => !f.options.some((o) => o.value === v));
    if (bad !== undefined) return { ok: false, error: 'contains a value that is not one of the choices' };
    return { ok: true, value: raw.length ? raw : undefined };
  },
};

export function fieldName(f: Field): string {
  return f.label ?? f.var ?? 'field';
}

/** Validate a submission against the form that was shown. Unknown fields are ignored. */
export function validate(form: Form, raw: RawValues): Result<Values, FieldError[]> {
  const values: Record<string, Value> = {};
  const errors: FieldError[] = [];
  for (const f of form.fields) {
    if (!isInputField(f) && f.type !== 'hidden') continue;
    const got = raw[f.var] ?? [];
    const r = readers[f.type](f, got);
    if (!r.ok) {
      errors.push({ var: f.var, message: `${fieldName(f)} ${r.error}` });
    } else if (r.value === undefined) {
      if (f.required) errors.push({ var: f.var, message: `${fieldName(f)} is required` });
    } else {
      values[f.var] = r.value;
    }
  }
  return errors.length ? { ok: false, error: errors } : { ok: true, value: values };
}
