// XEP-0004 §3: a Form ↔ <x xmlns='jabber:x:data'/>, with XEP-0122 <validate/> for datatypes and <open/>.
import { xml, type Element } from '../xmpp/xml.js';
import type { Field, Form, RawValues, Table } from './types.js';

export const NS_DATA = 'jabber:x:data';
export const NS_VALIDATE = 'http://jabber.org/protocol/xdata-validate';

export type FormType = 'form' | 'submit' | 'cancel' | 'result';

function values(f: Field): string[] {
  const v = f.value;
  if (v === undefined) return [];
  if (typeof v === 'boolean') return [v ? 'true' : 'false'];
  return typeof v === 'string' ? [v] : [...v];
}

function validateElement(f: Field): Element | null {
  if (f.type === 'list-single' && f.open) {
    return xml('validate', { xmlns: NS_VALIDATE, datatype: 'xs:string' }, xml('open'));
  }
  if ((f.type === 'text-single' || f.type === 'text-private') && f.validate) {
    const { datatype = 'xs:string', range, regex } = f.validate;
    return xml(
      'validate',
      { xmlns: NS_VALIDATE, datatype },
      range ? xml('range', { min: range.min?.toString(), max: range.max?.toString() }) : null,
      regex ? xml('regex', {}, regex) : null,
      range || regex ? null : xml('basic'),
    );
  }
  return null;
}

function fieldElement(f: Field): Element {
  const required = 'required' in f && f.required;
  return xml(
    'field',
    { type: f.type, var: f.var, label: f.label },
    'desc' in f && f.desc ? xml('desc', {}, f.desc) : null,
    required ? xml('required') : null,
    validateElement(f),
    ...values(f).map((v) => xml('value', {}, v)),
    ...('options' in f ? f.options.map((o) => xml('option', { label: o.label }, xml('value', {}, o.value))) : []),
  );
}

export function toDataForm(form: Form, type: FormType = 'form'): Element {
  return xml(
    'x',
    { xmlns: NS_DATA, type },
    form.title ? xml('title', {}, form.title) : null,
    ...(form.instructions ?? []).map((i) => xml('instructions', {}, i)),
    ...form.fields.map(fieldElement),
    ...(form.table ? tableElements(form.table) : []),
  );
}

/** XEP-0004 §3.4: the columns once, then each row as an item. */
function tableElements(t: Table): Element[] {
  return [
    xml('reported', {}, ...t.columns.map((c) => xml('field', { var: c.var, label: c.label, type: 'text-single' }))),
    ...t.rows.map((r) => xml('item', {}, ...t.columns.map((c) => xml('field', { var: c.var }, xml('value', {}, r[c.var] ?? ''))))),
  ];
}

export interface ParsedDataForm {
  readonly type: FormType;
  readonly values: RawValues;
}

/** Read a submitted form; `undefined` when the element is not a data form. Values stay raw strings. */
export function parseDataForm(x: Element | undefined): ParsedDataForm | undefined {
  if (x?.name !== 'x' || x.attrs.xmlns !== NS_DATA) return undefined;
  const type = x.attrs.type as string;
  if (type !== 'form' && type !== 'submit' && type !== 'cancel' && type !== 'result') return undefined;
  const out: Record<string, string[]> = {};
  for (const field of x.getChildren('field')) {
    const name = field.attrs.var as string | undefined;
    if (!name) continue;
    out[name] = field.getChildren('value').map((v) => v.getText());
  }
  return { type, values: out };
}

/** Read a whole form back (fields, options, <open/>): what a client does with what the bot sent. */
export function fromDataForm(x: Element): Form {
  const fields: Field[] = x.getChildren('field').map((el) => readField(el));
  const title = x.getChildText('title') ?? undefined;
  const instructions = x.getChildren('instructions').map((i) => i.getText());
  return { ...(title ? { title } : {}), ...(instructions.length ? { instructions } : {}), fields };
}

function readField(el: Element): Field {
  const type = (el.attrs.type as Field['type'] | undefined) ?? 'text-single';
  const base = {
    var: el.attrs.var as string,
    ...(el.attrs.label ? { label: el.attrs.label as string } : {}),
    ...(el.getChild('desc') ? { desc: el.getChildText('desc') as string } : {}),
    ...(el.getChild('required') ? { required: true } : {}),
  };
  const vals = el.getChildren('value').map((v) => v.getText());
  const options = el.getChildren('option').map((o) => ({
    value: o.getChildText('value') ?? '',
    label: (o.attrs.label as string | undefined) ?? o.getChildText('value') ?? '',
  }));
  const validate = el.getChild('validate', NS_VALIDATE);
  const first = vals[0];
  switch (type) {
    case 'boolean':
      return { ...base, type, ...(first !== undefined ? { value: first === '1' || first === 'true' } : {}) };
    case 'fixed':
      return { ...(base.var ? { var: base.var } : {}), ...(base.label ? { label: base.label } : {}), type, value: first ?? '' };
    case 'hidden':
      return { ...base, type, value: first ?? '' };
    case 'jid-multi':
    case 'text-multi':
      return { ...base, type, ...(vals.length ? { value: vals } : {}) };
    case 'list-multi':
      return { ...base, type, options, ...(vals.length ? { value: vals } : {}) };
    case 'list-single':
      return {
        ...base,
        type,
        options,
        ...(validate?.getChild('open') ? { open: true } : {}),
        ...(first !== undefined ? { value: first } : {}),
      };
    case 'jid-single':
      return { ...base, type, ...(first !== undefined ? { value: first } : {}) };
    case 'text-single':
    case 'text-private': {
      const range = validate?.getChild('range');
      const regex = validate?.getChildText('regex');
      const rule = validate
        ? {
            datatype: validate.attrs.datatype as 'xs:string' | 'xs:integer' | 'xs:date',
            ...(range
              ? {
                  range: {
                    ...(range.attrs.min !== undefined ? { min: Number(range.attrs.min) } : {}),
                    ...(range.attrs.max !== undefined ? { max: Number(range.attrs.max) } : {}),
                  },
                }
              : {}),
            ...(regex ? { regex } : {}),
          }
        : undefined;
      return { ...base, type, ...(first !== undefined ? { value: first } : {}), ...(rule ? { validate: rule } : {}) };
    }
  }
}
