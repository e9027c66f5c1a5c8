// XEP-0004 data forms (and XEP-0122 validation) as the bot writes them and reads them back.
import { Parser, type Element } from '@xmpp/xml';
import { describe, expect, it } from 'vitest';
import { fromDataForm, NS_DATA, NS_VALIDATE, parseDataForm, toDataForm } from '../../src/forms/dataform.js';
import type { Field, Form } from '../../src/forms/types.js';

/** Parse one XML document with @xmpp/xml's stream parser (it emits each child of the root as 'element'). */
function parseXml(text: string): Element {
  const parser = new Parser();
  let found: Element | undefined;
  let failure: Error | undefined;
  parser.on('element', (el: Element) => {
    found ??= el;
  });
  parser.on('error', (err: Error) => {
    failure = err;
  });
  parser.write(`<wrap>${text}</wrap>`);
  if (failure) throw failure;
  if (!found) throw new Error(`no element parsed from ${text}`);
  return found;
}

/** The wire round trip: Form → XML string → parsed element → Form. */
function overTheWire(form: Form): Form {
  return fromDataForm(parseXml(toDataForm(form).toString()));
}

const EVERY_TYPE: readonly [string, Field][] = [
  ['boolean true', { type: 'boolean', var: 'agree', label: 'I agree', desc: 'The terms', required: true, value: true }],
  ['boolean false', { type: 'boolean', var: 'news', label: 'Newsletter', value: false }],
  ['boolean without value', { type: 'boolean', var: 'maybe' }],
  ['fixed without var', { type: 'fixed', value: 'Pick a number below.' }],
  ['fixed with var', { type: 'fixed', var: 'intro', value: 'Hello & <welcome>' }],
  ['fixed with label', { type: 'fixed', label: 'Balance', value: '$5.00' }],
  ['hidden', { type: 'hidden', var: 'FORM_TYPE', value: 'urn:example:signup' }],
  ['jid-single', { type: 'jid-single', var: 'jid', label: 'Address', required: true, value: 'alice@example.com/phone' }],
  ['jid-multi', { type: 'jid-multi', var: 'leaves', label: 'Extra accounts', value: ['bob@example.com', 'carol@example.org'] }],
  [
    'list-single',
    {
      type: 'list-single',
      var: 'tel',
      label: 'Number',
      required: true,
      options: [
        { value: '+14165550100', label: '+1 416 555 0100 (Toronto, ON)' },
        { value: '+15145550100', label: '+1 514 555 0100 (Montréal, QC)' },
      ],
      value: '+15145550100',
    },
  ],
  [
    'list-single open',
    {
      type: 'list-single',
      var: 'tel',
      label: 'Number, or type one',
      open: true,
      options: [{ value: '+14165550100', label: '+1 416 555 0100' }],
    },
  ],
  [
    'list-multi',
    {
      type: 'list-multi',
      var: 'features',
      label: 'Features',
      options: [
        { value: 'sms', label: 'Text messages' },
        { value: 'voice', label: 'Calls' },
        { value: 'mms', label: 'Pictures' },
      ],
      value: ['sms', 'mms'],
    },
  ],
  ['text-multi', { type: 'text-multi', var: 'notes', label: 'Notes', value: ['line one', 'line two'] }],
  [
    'text-private',
    { type: 'text-private', var: 'pin', label: 'PIN', required: true, validate: { datatype: 'xs:string', regex: '\\d{4}' } },
  ],
  ['text-single plain', { type: 'text-single', var: 'name', label: 'Your name', desc: 'As on your card', value: 'Ann' }],
  ['text-single xs:integer', { type: 'text-single', var: 'months', validate: { datatype: 'xs:integer' } }],
  [
    'text-single range',
    { type: 'text-single', var: 'months', value: '3', validate: { datatype: 'xs:integer', range: { min: 1, max: 12 } } },
  ],
  ['text-single range min only', { type: 'text-single', var: 'amount', validate: { datatype: 'xs:integer', range: { min: 5 } } }],
  ['text-single regex', { type: 'text-single', var: 'code', validate: { datatype: 'xs:string', regex: '[A-Z]{3}-\\d+' } }],
];

describe('toDataForm / fromDataForm round trip', () => {
  it.each(EVERY_TYPE)('%s survives as an element', (_name, field) => {
    const form: Form = { fields: [field] };
    expect(fromDataForm(toDataForm(form))).toStrictEqual(form);
  });

  it.each(EVERY_TYPE)('%s survives as a string parsed back with @xmpp/xml', (_name, field) => {
    const form: Form = { fields: [field] };
    expect(overTheWire(form)).toStrictEqual(form);
  });

  it('keeps title, every instruction, and the field order of a whole form', () => {
    const form: Form = {
      title: 'Sign up',
      instructions: ['Choose a number.', 'You can change it later.'],
      fields: EVERY_TYPE.map(([, f]) => f),
    };
    expect(fromDataForm(toDataForm(form))).toStrictEqual(form);
    expect(overTheWire(form)).toStrictEqual(form);
  });

  it('writes <x xmlns=jabber:x:data> with the requested type', () => {
    const x = toDataForm({ fields: [] }, 'result');
    expect(x.name).toBe('x');
    expect(x.attrs.xmlns).toBe(NS_DATA);
    expect(x.attrs.type).toBe('result');
    expect(toDataForm({ fields: [] }).attrs.type).toBe('form');
  });

  it('marks an open list with XEP-0122 <validate><open/></validate>', () => {
    const x = toDataForm({ fields: [{ type: 'list-single', var: 'tel', open: true, options: [] }] });
    const v = x.getChild('field')!.getChild('validate', NS_VALIDATE);
    expect(v?.getChild('open')).toBeDefined();
  });

  it('writes XEP-0122 range and regex for an integer field', () => {
    const x = toDataForm({
      fields: [{ type: 'text-single', var: 'n', validate: { datatype: 'xs:integer', range: { min: 1, max: 12 }, regex: '\\d+' } }],
    });
    const v = x.getChild('field')!.getChild('validate', NS_VALIDATE)!;
    expect(v.attrs.datatype).toBe('xs:integer');
    expect(v.getChild('range')!.attrs).toMatchObject({ min: '1', max: '12' });
    expect(v.getChildText('regex')).toBe('\\d+');
  });

  it('reads a pretty-printed form: whitespace between children changes nothing', () => {
    const text = `
      <x xmlns='jabber:x:data' type='form'>
        <title>Sign up</title>
        <instructions>Pick one.</instructions>
        <field type='list-single' var='tel' label='Number'>
          <required/>
          <validate xmlns='${NS_VALIDATE}' datatype='xs:string'>
            <open/>
          </validate>
          <value>+14165550100</value>
          <option label='Toronto'>
            <value>+14165550100</value>
          </option>
          <option label='Ottawa'>
            <value>+16135550100</value>
          </option>
        </field>
        <field type='boolean' var='ok'>
          <value>1</value>
        </field>
      </x>`;
    expect(fromDataForm(parseXml(text))).toStrictEqual({
      title: 'Sign up',
      instructions: ['Pick one.'],
      fields: [
        {
          type: 'list-single',
          var: 'tel',
          label: 'Number',
          required: true,
          open: true,
          value: '+14165550100',
          options: [
            { value: '+14165550100', label: 'Toronto' },
            { value: '+16135550100', label: 'Ottawa' },
          ],
        },
        { type: 'boolean', var: 'ok', value: true },
      ],
    });
  });
});

describe('parseDataForm', () => {
  it('gives the raw values of a submitted form per var', () => {
    const x = parseXml(`
      <x xmlns='jabber:x:data' type='submit'>
        <field var='tel'><value>+14165550100</value></field>
        <field var='confirm' type='boolean'><value>1</value></field>
        <field var='leaves' type='jid-multi'>
          <value>bob@example.com</value>
          <value>carol@example.org</value>
        </field>
        <field var='empty'/>
        <field type='fixed'><value>no var: skipped</value></field>
      </x>`);
    expect(parseDataForm(x)).toStrictEqual({
      type: 'submit',
      values: {
        tel: ['+14165550100'],
        confirm: ['1'],
        leaves: ['bob@example.com', 'carol@example.org'],
        empty: [],
      },
    });
  });

  it('reads what toDataForm wrote as a submission', () => {
    const x = toDataForm(
      {
        fields: [
          { type: 'text-multi', var: 'notes', value: ['a', 'b'] },
          { type: 'boolean', var: 'ok', value: false },
        ],
      },
      'submit',
    );
    expect(parseDataForm(parseXml(x.toString()))).toStrictEqual({ type: 'submit', values: { notes: ['a', 'b'], ok: ['false'] } });
  });

  it('recognises a cancelled form', () => {
    expect(parseDataForm(parseXml(`<x xmlns='jabber:x:data' type='cancel'/>`))).toStrictEqual({ type: 'cancel', values: {} });
  });

  it('gives undefined for anything that is not a data form', () => {
    expect(parseDataForm(undefined)).toBeUndefined();
    expect(parseDataForm(parseXml(`<x xmlns='jabber:x:oob'><url>https://example.com</url></x>`))).toBeUndefined();
    expect(parseDataForm(parseXml(`<query xmlns='jabber:x:data' type='submit'/>`))).toBeUndefined();
    expect(parseDataForm(parseXml(`<x xmlns='jabber:x:data' type='bogus'/>`))).toBeUndefined();
    expect(parseDataForm(parseXml(`<x xmlns='jabber:x:data'/>`))).toBeUndefined();
  });
});
