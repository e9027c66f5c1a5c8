// XEP-0004 §3.3 field semantics and XEP-0122 checks: what a submission may carry, and the error a person reads.
import { describe, expect, it } from 'vitest';
import type { Field, Form, RawValues } from '../../src/forms/types.js';
import { parseBoolean, validate } from '../../src/forms/validate.js';

function check(fields: Field[], raw: RawValues) {
  return validate({ fields }, raw);
}

function errorsOf(fields: Field[], raw: RawValues): string[] {
  const r = check(fields, raw);
  if (r.ok) throw new Error(`expected errors, got ${JSON.stringify(r.value)}`);
  return r.error.map((e) => `${e.var}: ${e.message}`);
}

function valuesOf(fields: Field[], raw: RawValues) {
  const r = check(fields, raw);
  if (!r.ok) throw new Error(`expected values, got ${JSON.stringify(r.error)}`);
  return r.value;
}

const TEL: Field = {
  type: 'list-single',
  var: 'tel',
  label: 'Number',
  required: true,
  options: [
    { value: '+14165550100', label: 'Toronto' },
    { value: '+16135550100', label: 'Ottawa' },
  ],
};

describe('required fields', () => {
  it('names the missing field by its label', () => {
    expect(errorsOf([{ type: 'text-single', var: 'name', label: 'Your name', required: true }], {})).toEqual([
      'name: Your name is required',
    ]);
  });

  it('names it by var when it has no label', () => {
    expect(errorsOf([{ type: 'text-single', var: 'name', required: true }], {})).toEqual(['name: name is required']);
  });

  it('treats an empty or blank value as missing', () => {
    const f: Field = { type: 'text-single', var: 'name', label: 'Name', required: true };
    expect(errorsOf([f], { name: [] })).toEqual(['name: Name is required']);
    expect(errorsOf([f], { name: ['   '] })).toEqual(['name: Name is required']);
  });

  it('reports every failing field, not just the first', () => {
    const form: Field[] = [
      { type: 'text-single', var: 'a', label: 'A', required: true },
      { type: 'text-single', var: 'b', label: 'B' },
      { type: 'jid-single', var: 'c', label: 'C', required: true },
    ];
    expect(errorsOf(form, {})).toEqual(['a: A is required', 'c: C is required']);
  });

  it('leaves an optional empty field out of the values', () => {
    expect(valuesOf([{ type: 'text-single', var: 'note' }], {})).toStrictEqual({});
  });

  it('accepts a required boolean answered false', () => {
    expect(valuesOf([{ type: 'boolean', var: 'ok', required: true }], { ok: ['0'] })).toStrictEqual({ ok: false });
  });
});

describe('list-single', () => {
  it('accepts one of the options', () => {
    expect(valuesOf([TEL], { tel: ['+16135550100'] })).toStrictEqual({ tel: '+16135550100' });
  });

  it('rejects a value that is not among the options', () => {
    expect(errorsOf([TEL], { tel: ['+19995550100'] })).toEqual(['tel: Number is not one of the choices']);
  });

  it('rejects an option label passed as a value', () => {
    expect(errorsOf([TEL], { tel: ['Toronto'] })).toEqual(['tel: Number is not one of the choices']);
  });

  it('accepts any value when the list is open (XEP-0122 <open/>)', () => {
    expect(valuesOf([{ ...TEL, open: true }], { tel: ['+19995550100'] })).toStrictEqual({ tel: '+19995550100' });
  });
});

describe('list-multi', () => {
  const F: Field = {
    type: 'list-multi',
    var: 'f',
    label: 'Features',
    options: [
      { value: 'sms', label: 'SMS' },
      { value: 'mms', label: 'MMS' },
    ],
  };
  it('accepts several options', () => {
    expect(valuesOf([F], { f: ['sms', 'mms'] })).toStrictEqual({ f: ['sms', 'mms'] });
  });
  it('rejects a value that is not an option', () => {
    expect(errorsOf([F], { f: ['sms', 'fax'] })).toEqual(['f: Features contains a value that is not one of the choices']);
  });
});

describe('boolean', () => {
  const OK: Field = { type: 'boolean', var: 'ok', label: 'Confirm' };
  it.each([
    ['1', true],
    ['true', true],
    ['0', false],
    ['false', false],
  ])('accepts %s', (raw, value) => {
    expect(valuesOf([OK], { ok: [raw] })).toStrictEqual({ ok: value });
  });

  it.each(['yes', 'no', '2', 'y', 'truthy'])('rejects %s', (raw) => {
    expect(errorsOf([OK], { ok: [raw] })).toEqual(['ok: Confirm must be yes or no (true or false)']);
  });

  it('parseBoolean ignores case and surrounding space', () => {
    expect(parseBoolean(' TRUE ')).toBe(true);
    expect(parseBoolean('False')).toBe(false);
    expect(parseBoolean('maybe')).toBeUndefined();
  });
});

describe('XEP-0122 validation of text fields', () => {
  const MONTHS: Field = {
    type: 'text-single',
    var: 'months',
    label: 'Months',
    validate: { datatype: 'xs:integer', range: { min: 1, max: 12 } },
  };

  it('xs:integer accepts whole numbers, with a sign', () => {
    const f: Field = { type: 'text-single', var: 'n', label: 'N', validate: { datatype: 'xs:integer' } };
    expect(valuesOf([f], { n: ['42'] })).toStrictEqual({ n: '42' });
    expect(valuesOf([f], { n: ['-7'] })).toStrictEqual({ n: '-7' });
  });

  it.each(['4.5', 'ten', '1e3', '12abc'])('xs:integer rejects %s', (raw) => {
    const f: Field = { type: 'text-single', var: 'n', label: 'N', validate: { datatype: 'xs:integer' } };
    expect(errorsOf([f], { n: [raw] })).toEqual(['n: N must be a whole number']);
  });

  it('range accepts both bounds', () => {
    expect(valuesOf([MONTHS], { months: ['1'] })).toStrictEqual({ months: '1' });
    expect(valuesOf([MONTHS], { months: ['12'] })).toStrictEqual({ months: '12' });
  });

  it('range rejects below min and above max, saying the bound', () => {
    expect(errorsOf([MONTHS], { months: ['0'] })).toEqual(['months: Months must be at least 1']);
    expect(errorsOf([MONTHS], { months: ['13'] })).toEqual(['months: Months must be at most 12']);
  });

  it('regex must match the whole value', () => {
    const f: Field = { type: 'text-single', var: 'code', label: 'Code', validate: { datatype: 'xs:string', regex: '[A-Z]{3}-\\d+' } };
    expect(valuesOf([f], { code: ['ABC-12'] })).toStrictEqual({ code: 'ABC-12' });
    expect(errorsOf([f], { code: ['xABC-12'] })).toEqual(['code: Code is not in the expected format']);
    expect(errorsOf([f], { code: ['ABC-12x'] })).toEqual(['code: Code is not in the expected format']);
  });

  it('applies to text-private too', () => {
    const f: Field = { type: 'text-private', var: 'pin', label: 'PIN', validate: { datatype: 'xs:string', regex: '\\d{4}' } };
    expect(valuesOf([f], { pin: ['1234'] })).toStrictEqual({ pin: '1234' });
    expect(errorsOf([f], { pin: ['12345'] })).toEqual(['pin: PIN is not in the expected format']);
  });
});

describe('JIDs', () => {
  const J: Field = { type: 'jid-single', var: 'jid', label: 'Address' };
  it.each(['alice@example.com', 'example.com', 'alice@example.com/phone'])('jid-single accepts %s', (raw) => {
    expect(valuesOf([J], { jid: [raw] })).toStrictEqual({ jid: raw });
  });
  it.each(['not an address', 'a@b@c', '@example.com', 'alice@', '<script>@x'])('jid-single rejects %s', (raw) => {
    expect(errorsOf([J], { jid: [raw] })).toEqual(['jid: Address is not a valid address']);
  });
  it('jid-multi rejects a list with one bad address', () => {
    const f: Field = { type: 'jid-multi', var: 'l', label: 'Leaves' };
    expect(valuesOf([f], { l: ['a@x.org', 'b@y.org'] })).toStrictEqual({ l: ['a@x.org', 'b@y.org'] });
    expect(errorsOf([f], { l: ['a@x.org', 'b c'] })).toEqual(['l: Leaves contains an invalid address']);
  });
});

describe('shape of a submission', () => {
  it.each<[string, Field, string[]]>([
    ['text-single', { type: 'text-single', var: 'x', label: 'X' }, ['a', 'b']],
    ['jid-single', { type: 'jid-single', var: 'x', label: 'X' }, ['a@b.c', 'd@e.f']],
    ['boolean', { type: 'boolean', var: 'x', label: 'X' }, ['1', '0']],
    [
      'list-single',
      {
        type: 'list-single',
        var: 'x',
        label: 'X',
        options: [
          { value: 'a', label: 'A' },
          { value: 'b', label: 'B' },
        ],
      },
      ['a', 'b'],
    ],
  ])('rejects several values for a %s field', (_t, f, raw) => {
    const r = check([f], { x: raw });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toHaveLength(1);
      expect(r.error[0]!.var).toBe('x');
      expect(r.error[0]!.message).toMatch(/^X .*one value/);
    }
  });

  it('ignores submitted vars the form did not ask', () => {
    expect(valuesOf([TEL], { tel: ['+14165550100'], admin: ['true'], owner: ['mallory@evil.example'] })).toStrictEqual({
      tel: '+14165550100',
    });
  });

  it('trims surrounding space from single values', () => {
    expect(valuesOf([{ type: 'text-single', var: 'name' }], { name: ['  Ann  '] })).toStrictEqual({ name: 'Ann' });
  });

  it('never returns a value for fixed text', () => {
    const form: Form = { fields: [{ type: 'fixed', var: 'intro', value: 'Hi' }] };
    expect(validate(form, { intro: ['changed'] })).toStrictEqual({ ok: true, value: {} });
  });
});
