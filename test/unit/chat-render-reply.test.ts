// The chat fallback's pure half: a step as one message (lettered menus, prompts) and a typed reply back to a value.
import { describe, expect, it } from 'vitest';
import type { DoneView, FormView } from '../../src/commands/contract.js';
import { spell, type Text } from '../../src/domain/text.js';
import { nextQuestion, type Question } from '../../src/fallback/question.js';
import { formText, viewText } from '../../src/fallback/render.js';
import { parseReply, RESERVED, reservedWord } from '../../src/fallback/reply.js';
import type { Field } from '../../src/forms/types.js';
import { validate } from '../../src/forms/validate.js';

/** Text as chat spells it, with references spelled as their node (these forms have none). */
const say = (t: Text) => spell(t, (r) => r.command);

const TEL: Question = {
  type: 'list-single',
  var: 'tel',
  label: 'Number',
  required: true,
  options: [
    { value: '+14165550100', label: '+1 416 555 0100 (Toronto, ON)' },
    { value: '+16135550100', label: '+1 613 555 0100 (Ottawa, ON)' },
    { value: '+15145550100', label: '+1 514 555 0100 (Montréal, QC)' },
  ],
};

const PLAN: Question = {
  type: 'list-single',
  var: 'plan',
  label: 'Plan',
  required: true,
  options: [
    { value: 'm1', label: 'Monthly' },
    { value: 'y1', label: 'Yearly' },
    { value: 'mt', label: 'Month trial' },
  ],
};

const CONFIRM: Question = { type: 'boolean', var: 'confirm', label: 'Use +1 416 555 0100?', required: true };
const NAME: Question = { type: 'text-single', var: 'name', label: 'Your name', required: true };

function formView(fields: Field[], extra: Partial<FormView> = {}): FormView {
  return { kind: 'form', form: { fields }, actions: ['next'], defaultAction: 'next', ...extra };
}

function lines(text: string): string[] {
  return text.split('\n');
}

describe('rendering a step as a chat message', () => {
  it('lists a list-single as lettered lines a), b), c) in option order, under the title', () => {
    const view = formView([TEL], { form: { title: 'Choose a number', fields: [TEL] } });
    expect(lines(formText(view, TEL, false, say))).toEqual([
      'Choose a number:',
      'a) +1 416 555 0100 (Toronto, ON)',
      'b) +1 613 555 0100 (Ottawa, ON)',
      'c) +1 514 555 0100 (Montréal, QC)',
      'Reply with a letter.',
    ]);
  });

  it('puts notes first and instructions after the menu', () => {
    const view = formView([PLAN], {
      form: { instructions: ['Prices are in CAD.'], fields: [PLAN] },
      notes: [{ type: 'warn', text: 'That number was taken.' }],
    });
    const text = lines(formText(view, PLAN, false, say));
    expect(text[0]).toBe('That number was taken.');
    expect(text.indexOf('Prices are in CAD.')).toBeGreaterThan(text.indexOf('c) Month trial'));
  });

  it('offers "back" only when there is a step to go back to', () => {
    expect(formText(formView([PLAN]), PLAN, true, say)).toMatch(/Reply with a letter, or back\.$/);
    expect(formText(formView([PLAN]), PLAN, false, say)).not.toMatch(/back/);
  });

  it('says an open list also accepts a typed answer', () => {
    const open: Question = { ...TEL, open: true };
    expect(formText(formView([open]), open, true, say)).toMatch(/Reply with a letter, or type your own, or back\.$/);
    expect(formText(formView([TEL]), TEL, true, say)).not.toMatch(/type your own/);
  });

  it('asks a lone boolean as a yes/no question: "Reply y to confirm, or back."', () => {
    const view = formView([CONFIRM], { form: { instructions: ['+1 416 555 0100 in Toronto, ON.'], fields: [CONFIRM] } });
    expect(lines(formText(view, CONFIRM, true, say))).toEqual([
      '+1 416 555 0100 in Toronto, ON.',
      'Use +1 416 555 0100?',
      'Reply y to confirm, or back.',
    ]);
    expect(lines(formText(view, CONFIRM, false, say)).at(-1)).toBe('Reply y to confirm, or n for no.');
  });

  it('asks a text field by its label as a question', () => {
    expect(lines(formText(formView([NAME]), NAME, true, say))).toEqual(['Your name?', 'Type your answer, or back, or cancel.']);
  });

  it('tells a list-multi answer may name several letters', () => {
    const multi: Question = { type: 'list-multi', var: 'f', options: PLAN.options };
    expect(formText(formView([multi]), multi, false, say)).toMatch(/several, separated by commas/);
  });

  it('shows a finished command as its notes and result fields, and "Done." when empty', () => {
    const done: DoneView = {
      kind: 'done',
      notes: [{ type: 'info', text: 'Your number is +1 416 555 0100.' }],
      result: {
        fields: [
          { type: 'text-single', var: 'plan', label: 'Plan', value: 'Monthly' },
          { type: 'boolean', var: 'trial', label: 'Trial', value: false },
          { type: 'jid-multi', var: 'leaves', label: 'Leaves', value: ['a@x.org', 'b@x.org'] },
        ],
      },
    };
    expect(lines(viewText(done, undefined, false, say))).toEqual([
      'Your number is +1 416 555 0100.',
      'Plan: Monthly',
      'Trial: no',
      'Leaves: a@x.org, b@x.org',
    ]);
    expect(viewText({ kind: 'done', notes: [] }, undefined, false, say)).toBe('Done.');
  });

  it('viewText renders the question it is given', () => {
    expect(viewText(formView([PLAN]), PLAN, false, say)).toBe(formText(formView([PLAN]), PLAN, false, say));
  });
});

describe('parsing a reply to a list-single', () => {
  it.each([
    ['a', 'm1'],
    ['B', 'y1'],
    ['c)', 'mt'],
    [' b) ', 'y1'],
    ['c.', 'mt'],
  ])('takes the letter %j', (reply, value) => {
    expect(parseReply(PLAN, reply)).toStrictEqual({ kind: 'value', values: [value] });
  });

  it.each([
    ['1', 'm1'],
    ['2', 'y1'],
    ['3)', 'mt'],
  ])('takes the option number %j (1-based)', (reply, value) => {
    expect(parseReply(PLAN, reply)).toStrictEqual({ kind: 'value', values: [value] });
  });

  it('takes the option value itself', () => {
    expect(parseReply(PLAN, 'y1')).toStrictEqual({ kind: 'value', values: ['y1'] });
    expect(parseReply(TEL, '+15145550100')).toStrictEqual({ kind: 'value', values: ['+15145550100'] });
  });

  it('takes the whole label, in any case', () => {
    expect(parseReply(PLAN, 'YEARLY')).toStrictEqual({ kind: 'value', values: ['y1'] });
  });

  it('takes a unique prefix of a label', () => {
    expect(parseReply(PLAN, 'yea')).toStrictEqual({ kind: 'value', values: ['y1'] });
    expect(parseReply(PLAN, 'month t')).toStrictEqual({ kind: 'value', values: ['mt'] });
    expect(parseReply(TEL, '+1 613')).toStrictEqual({ kind: 'value', values: ['+16135550100'] });
  });

  it('refuses an ambiguous prefix with a sentence asking for the letter', () => {
    const r = parseReply(PLAN, 'mon');
    expect(r.kind).toBe('invalid');
    expect(r.kind === 'invalid' && r.sentence).toMatch(/“mon” matches more than one choice; please reply with its letter\./);
  });

  it('refuses a letter past the last option, naming the letter range', () => {
    expect(parseReply(PLAN, 'd')).toStrictEqual({
      kind: 'invalid',
      sentence: 'There is no choice “d”: please reply with a letter from a to c.',
    });
    expect(parseReply(PLAN, '4')).toStrictEqual({
      kind: 'invalid',
      sentence: 'There is no choice “4”: please reply with a letter from a to c.',
    });
    const one: Question = { ...PLAN, options: [{ value: 'm1', label: 'Monthly' }] };
    expect(parseReply(one, 'b')).toStrictEqual({ kind: 'invalid', sentence: 'There is no choice “b”: please reply with a letter from a.' });
  });

  it('a letter past the last option is a bad reply even where one may type one’s own (never a search for “f”)', () => {
    const open: Question = { ...PLAN, open: true };
    expect(parseReply(open, 'f')).toStrictEqual({
      kind: 'invalid',
      sentence: 'There is no choice “f”: please reply with a letter from a to c.',
    });
    expect(parseReply(open, '9')).toMatchObject({ kind: 'invalid' });
    expect(parseReply(open, 'Vancouver')).toStrictEqual({ kind: 'value', values: ['Vancouver'] });
  });

  it('refuses an empty reply', () => {
    expect(parseReply(PLAN, '  ').kind).toBe('invalid');
  });

  it('accepts a typed value on an open list, but still prefers a letter', () => {
    const open: Question = { ...TEL, open: true };
    expect(parseReply(open, '+1 905 555 0199')).toStrictEqual({ kind: 'value', values: ['+1 905 555 0199'] });
    expect(parseReply(open, 'a')).toStrictEqual({ kind: 'value', values: ['+14165550100'] });
    expect(parseReply(TEL, '+1 905 555 0199').kind).toBe('invalid');
  });

  it('gives values that pass the form validation of the same field', () => {
    for (const reply of ['a', '2', 'y1', 'Month t']) {
      const r = parseReply(PLAN, reply);
      if (r.kind !== 'value') throw new Error(`${reply} → ${JSON.stringify(r)}`);
      expect(validate({ fields: [PLAN] }, { plan: r.values }).ok).toBe(true);
    }
  });
});

describe('parsing a reply to a list-multi', () => {
  const multi: Question = { type: 'list-multi', var: 'f', options: PLAN.options };
  it('takes several letters separated by commas or spaces', () => {
    expect(parseReply(multi, 'a, c')).toStrictEqual({ kind: 'value', values: ['m1', 'mt'] });
    expect(parseReply(multi, 'b c')).toStrictEqual({ kind: 'value', values: ['y1', 'mt'] });
  });
  it('refuses the reply when one part is not a choice', () => {
    expect(parseReply(multi, 'a, z')).toStrictEqual({
      kind: 'invalid',
      sentence: 'Please reply with letters from a to c, separated by commas.',
    });
  });
});

describe('parsing a reply to a boolean', () => {
  it.each(['y', 'Y', 'yes', 'YES', ' yes ', 'ok', 'true', '1'])('%j means yes', (reply) => {
    expect(parseReply(CONFIRM, reply)).toStrictEqual({ kind: 'value', values: ['true'] });
  });
  it.each(['n', 'N', 'no', 'No', 'false', '0'])('%j means no', (reply) => {
    expect(parseReply(CONFIRM, reply)).toStrictEqual({ kind: 'value', values: ['false'] });
  });
  it('refuses anything else with a sentence', () => {
    expect(parseReply(CONFIRM, 'maybe')).toStrictEqual({ kind: 'invalid', sentence: 'Please reply y for yes or n for no.' });
  });
});

describe('parsing a reply to a text field', () => {
  it('takes the text, trimmed', () => {
    expect(parseReply(NAME, '  Ann Smith ')).toStrictEqual({ kind: 'value', values: ['Ann Smith'] });
  });
  it('refuses an empty reply', () => {
    expect(parseReply(NAME, '')).toStrictEqual({ kind: 'invalid', sentence: 'Please type an answer.' });
  });
  it('splits a multi-valued field on lines and commas', () => {
    const leaves: Question = { type: 'jid-multi', var: 'leaves' };
    expect(parseReply(leaves, 'a@x.org, b@x.org\nc@x.org')).toStrictEqual({ kind: 'value', values: ['a@x.org', 'b@x.org', 'c@x.org'] });
  });
});

describe('reserved words', () => {
  const EVERY_KIND: Question[] = [
    PLAN,
    { ...TEL, open: true },
    { type: 'list-multi', var: 'f', options: PLAN.options },
    CONFIRM,
    NAME,
    { type: 'text-private', var: 'pin' },
    { type: 'text-multi', var: 'notes' },
    { type: 'jid-single', var: 'jid' },
    { type: 'jid-multi', var: 'jids' },
  ];
  const cases = EVERY_KIND.flatMap((q) =>
    RESERVED.map((w) => [q.type + (q.type === 'list-single' && q.open ? ' (open)' : ''), w, q] as const),
  );

  it.each(cases)('%s recognises %s', (_type, word, q) => {
    expect(parseReply(q, word)).toStrictEqual({ kind: 'reserved', word });
    expect(parseReply(q, ` ${word.toUpperCase()} `)).toStrictEqual({ kind: 'reserved', word });
  });

  it('are exactly back, cancel, help and menu', () => {
    expect([...RESERVED].sort()).toEqual(['back', 'cancel', 'help', 'menu']);
    expect(reservedWord('Help')).toBe('help');
    expect(reservedWord('helpful')).toBeUndefined();
  });
});

describe('nextQuestion', () => {
  const NICK: Field = { type: 'text-single', var: 'nick', label: 'Nickname' };
  const view = formView([{ type: 'fixed', value: 'Welcome' }, { type: 'hidden', var: 'FORM_TYPE', value: 'x' }, NAME, NICK, TEL, CONFIRM]);

  it('asks the required fields in form order, skipping answered ones', () => {
    expect(nextQuestion(view, {})?.var).toBe('name');
    expect(nextQuestion(view, { name: ['Ann'] })?.var).toBe('tel');
    expect(nextQuestion(view, { tel: ['+14165550100'] })?.var).toBe('name');
    expect(nextQuestion(view, { name: ['Ann'], tel: ['+14165550100'] })?.var).toBe('confirm');
    expect(nextQuestion(view, { name: ['Ann'], tel: ['+14165550100'], confirm: ['true'] })).toBeUndefined();
  });

  it('never asks fixed or hidden fields', () => {
    expect(
      nextQuestion(
        formView([
          { type: 'fixed', value: 'Hi' },
          { type: 'hidden', var: 'h', value: '1' },
        ]),
        {},
      ),
    ).toBeUndefined();
  });

  it('with no required field, asks the first input once', () => {
    const optional = formView([{ type: 'fixed', value: 'Hi' }, NICK, { type: 'text-single', var: 'other' }]);
    expect(nextQuestion(optional, {})?.var).toBe('nick');
    expect(nextQuestion(optional, { nick: ['x'] })).toBeUndefined();
  });
});
