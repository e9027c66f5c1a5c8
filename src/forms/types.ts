// XEP-0004 data forms as plain data: one field union drives rendering (ad-hoc and chat) and parsing.

export const FIELD_TYPES = [
  'boolean',
  'fixed',
  'hidden',
  'jid-multi',
  'jid-single',
  'list-multi',
  'list-single',
  'text-multi',
  'text-private',
  'text-single',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export interface Option {
  readonly value: string;
  readonly label: string;
}

/** XEP-0122 validation that applies to single-valued text fields. */
export interface Validation {
  readonly datatype?: 'xs:string' | 'xs:integer' | 'xs:date';
  readonly range?: { readonly min?: number; readonly max?: number };
  readonly regex?: string;
}

interface Base {
  readonly var: string;
  readonly label?: string;
  readonly desc?: string;
  readonly required?: boolean;
}

export type Field =
  | (Base & { readonly type: 'boolean'; readonly value?: boolean })
  | { readonly type: 'fixed'; readonly var?: string; readonly label?: string; readonly value: string }
  | (Base & { readonly type: 'hidden'; readonly value: string })
  | (Base & { readonly type: 'jid-single'; readonly value?: string })
  | (Base & { readonly type: 'jid-multi'; readonly value?: readonly string[] })
  | (Base & { readonly type: 'text-single' | 'text-private'; readonly value?: string; readonly validate?: Validation })
  | (Base & { readonly type: 'text-multi'; readonly value?: readonly string[] })
  | (Base & {
      readonly type: 'list-single';
      readonly options: readonly Option[];
      /** XEP-0122 <open/>: a typed value outside the options is accepted. */
      readonly open?: boolean;
      /** What may be typed instead of a choice, for chat's "or type …" (default: "your own"). */
      readonly typed?: string;
      readonly value?: string;
    })
  | (Base & { readonly type: 'list-multi'; readonly options: readonly Option[]; readonly value?: readonly string[] });

export interface Form {
  readonly title?: string;
  readonly instructions?: readonly string[];
  readonly fields: readonly Field[];
  /** XEP-0004 §3.4 in a result: `<reported/>` columns, then one `<item/>` per row (values by column var). */
  readonly table?: Table;
}

export interface Table {
  readonly columns: readonly { readonly var: string; readonly label: string }[];
  readonly rows: readonly Readonly<Record<string, string>>[];
}

/** A value after validation: what a step receives. */
export type Value = string | boolean | readonly string[];
export type Values = Readonly<Record<string, Value>>;

/** What a submission carried, before validation: every field is a list of strings (XEP-0004 <value/>s). */
export type RawValues = Readonly<Record<string, readonly string[]>>;

export interface FieldError {
  readonly var: string;
  readonly message: string;
}

export type Result<T, E> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

/** Fields a person answers (not fixed text, not hidden state). */
export function isInputField(f: Field): f is Exclude<Field, { type: 'fixed' | 'hidden' }> {
  return f.type !== 'fixed' && f.type !== 'hidden';
}
