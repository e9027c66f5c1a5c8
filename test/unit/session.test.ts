// Sessions are versioned JSON naming steps by id: any process can continue one after a restart.
import { describe, expect, it } from 'vitest';
import { begin, proceed, type Turn } from '../../src/runtime/engine.js';
import { encodeSession, fingerprint, readSession, SESSION_VERSION, type Session } from '../../src/runtime/session.js';
import type { FormView } from '../../src/commands/contract.js';
import { registry, T0, TTL_SECONDS, tinyCommand, tinyCtx } from './tiny-command.js';

function live(turn: Turn): Session {
  if (!turn.session) throw new Error(`expected a live session, got ${JSON.stringify(turn)}`);
  return turn.session;
}

/** A session two steps in: name entered, now at the plan step. */
async function atPlan(): Promise<Session> {
  const { cmd } = tinyCommand();
  const ctx = tinyCtx();
  const first = live(await begin(cmd, ctx, 'alice@example.com/phone'));
  return live(await proceed(cmd, first, { action: 'next', values: { name: ['Ann'] } }, ctx));
}

/** The session as a store keeps it: its document, through JSON. */
const json = (s: Session): unknown => JSON.parse(JSON.stringify(encodeSession(s)));

describe('a session as stored data', () => {
  it('is what begin built: version, ids, owner, step, expiry from the fixed clock', async () => {
    const { cmd } = tinyCommand();
    const s = live(await begin(cmd, tinyCtx(), 'alice@example.com/phone'));
    expect(s).toMatchObject({
      v: SESSION_VERSION,
      id: 'sess-1',
      node: 'urn:test:tiny',
      owner: 'alice@example.com/phone',
      step: 'name',
      data: {},
      history: [],
      expiresAt: T0.getTime() + TTL_SECONDS * 1000,
    });
  });

  it('reads back from its stored document unchanged', async () => {
    const s = await atPlan();
    expect(readSession(json(s), registry)).toMatchObject({ ok: true, session: s });
    const read = readSession(json(s), registry);
    expect(read.ok && read.session).toStrictEqual(s);
  });

  it('keeps the form it showed without its words: what a reply is checked against', async () => {
    const s = await atPlan();
    const doc = JSON.stringify(encodeSession(s));
    expect(doc).not.toContain('Choose a plan');
    expect(s.shown.form.fields.every((f) => !('label' in f))).toBe(true);
    expect(s.shown.form.fields.flatMap((f) => ('options' in f ? f.options.map((o) => o.value) : []))).toEqual([
      'monthly',
      'yearly',
      'restart',
    ]);
  });

  it('a chat session leaves out the owner its key names, and the fingerprint its message id starts with', async () => {
    const s = { ...(await atPlan()), owner: 'alice@example.com' };
    const marked: Session = { ...s, chat: { messageId: `${s.fingerprint}.m-1`, shownAt: 5, answers: { plan: ['monthly'] } } };
    const doc = JSON.parse(JSON.stringify(encodeSession(marked, 'alice@example.com'))) as Record<string, unknown>;
    expect(doc.o).toBeUndefined();
    expect(doc.c).toEqual({ m: 'm-1', t: 5, a: { plan: ['monthly'] } });
    expect(readSession(doc, registry, 'alice@example.com')).toMatchObject({ ok: true, session: marked });
    // Without the key's owner it belongs to nobody: not readable.
    expect(readSession(doc, registry)).toStrictEqual({ ok: false });
    // A message id of another shape is kept whole.
    const other: Session = { ...s, chat: { messageId: 'x.1', shownAt: 5 } };
    expect(readSession(json(other), registry)).toMatchObject({ ok: true, session: other });
  });

  it('survives structuredClone unchanged', async () => {
    const s = await atPlan();
    expect(structuredClone(s)).toStrictEqual(s);
  });

  it.each([
    ['stored', json],
    ['structuredClone', (s: Session): unknown => structuredClone(encodeSession(s))],
  ])('the engine continues a %s copy exactly as the original', async (_how, copy) => {
    const s = await atPlan();
    const read = readSession(copy(s), registry);
    if (!read.ok) throw new Error('the copy is not a session');
    const clone = read.session;

    const run = async (start: Session) => {
      const { cmd, released } = tinyCommand();
      const ctx = tinyCtx();
      const back = await proceed(cmd, start, { action: 'prev' }, ctx);
      const forward = await proceed(cmd, start, { action: 'execute', values: { plan: ['yearly'] } }, ctx);
      const done = await proceed(cmd, live(forward), { action: 'complete', values: { confirm: ['true'] } }, ctx);
      await proceed(cmd, start, { action: 'cancel' }, ctx);
      return { back, forward, done, released };
    };
    const fromOriginal = await run(s);
    const fromClone = await run(clone);
    expect(fromClone).toStrictEqual(fromOriginal);
    expect(fromClone.done.view).toEqual({ kind: 'done', notes: [{ type: 'info', text: 'Signed up Ann on yearly.' }] });
    expect(fromClone.back.session?.step).toBe('name');
  });
});

describe('readSession', () => {
  it('accepts a stored session, as a session of its command', async () => {
    const s = await atPlan();
    expect(readSession(json(s), registry)).toMatchObject({ ok: true, session: s, cmd: { node: 'urn:test:tiny' } });
  });

  it.each([
    ['a later version', { v: SESSION_VERSION + 1 }],
    ['an earlier version than any release wrote', { v: 0 }],
    ['a version as a string', { v: String(SESSION_VERSION) }],
    ['no version', { v: undefined }],
    ['a numeric id', { id: 7 }],
    ['no step', { s: undefined }],
    ['a step the command does not have', { s: 'pay' }],
    ['history naming a step the command does not have', { h: ['nope'] }],
    ['a command that is not registered', { n: 'urn:test:gone' }],
    ['data its command does not accept', { d: { name: 42 } }],
    ['data of a version its command cannot migrate', { dv: 7 }],
    ['a field of a type forms do not have', { f: [['colour', 'x', 0]] }],
    ['a choice whose options are not values', { f: [['list-single', 'plan', 1, [1, 2]]] }],
    ['a hidden field without its value', { f: [['hidden', 'x', 0]] }],
    ['a rule that is not one', { f: [['text-single', 'x', 0, { datatype: 'xs:colour' }]] }],
    ['two default actions', { a: 'NC' }],
    ['no default action', { a: 'n' }],
    ['an action that is not one', { a: 'X' }],
    ['a chat mark without its message', { c: { t: 0 } }],
    ['chat answers that are not lists of text', { c: { m: 'x.1', t: 0, a: { plan: 'monthly' } } }],
    ['no expiry', { e: undefined }],
  ])('refuses %s', async (_name, change) => {
    const s = await atPlan();
    expect(readSession({ ...(json(s) as object), ...change }, registry)).toStrictEqual({ ok: false });
  });

  it('reads a session a version 2 release stored (the whole form shown), keeping the form without its words', async () => {
    const s = await atPlan();
    const { cmd } = tinyCommand();
    const view = await cmd.steps.get(s.step)?.view(tinyCtx(), s.data);
    const v2 = { ...s, v: 2, shown: view };
    const read = readSession(JSON.parse(JSON.stringify(v2)), registry);
    expect(read).toMatchObject({ ok: true, session: { step: 'plan', shown: s.shown, fingerprint: s.fingerprint } });
  });

  it.each([null, undefined, 'session', 42, []])('refuses %j', (x) => {
    expect(readSession(x, registry)).toStrictEqual({ ok: false });
  });
});

describe('fingerprint', () => {
  const view: FormView = {
    kind: 'form',
    form: {
      title: 'Choose a number',
      instructions: ['Pick one.'],
      fields: [
        {
          type: 'list-single',
          var: 'tel',
          label: 'Number',
          options: [
            { value: '+14165550100', label: 'Toronto' },
            { value: '+16135550100', label: 'Ottawa' },
          ],
        },
      ],
    },
    actions: ['next'],
    defaultAction: 'next',
  };
  const base = fingerprint('choose', view);
  const withOptions = (options: { value: string; label: string }[]): FormView => ({
    ...view,
    form: { ...view.form, fields: [{ type: 'list-single', var: 'tel', label: 'Number', options }] },
  });

  it('is stable for the same menu', () => {
    expect(fingerprint('choose', structuredClone(view))).toBe(base);
  });

  it('changes when an option value changes', () => {
    expect(
      fingerprint(
        'choose',
        withOptions([
          { value: '+14165550100', label: 'Toronto' },
          { value: '+15145550100', label: 'Ottawa' },
        ]),
      ),
    ).not.toBe(base);
  });

  it('changes when options are reordered, added or removed', () => {
    expect(
      fingerprint(
        'choose',
        withOptions([
          { value: '+16135550100', label: 'Ottawa' },
          { value: '+14165550100', label: 'Toronto' },
        ]),
      ),
    ).not.toBe(base);
    expect(fingerprint('choose', withOptions([{ value: '+14165550100', label: 'Toronto' }]))).not.toBe(base);
  });

  it('changes with the step', () => {
    expect(fingerprint('confirm', view)).not.toBe(base);
  });

  it('does not change when labels, notes, title or instructions change', () => {
    expect(
      fingerprint(
        'choose',
        withOptions([
          { value: '+14165550100', label: 'Toronto, ON' },
          { value: '+16135550100', label: 'Ottawa, ON' },
        ]),
      ),
    ).toBe(base);
    expect(fingerprint('choose', { ...view, notes: [{ type: 'error', text: 'Number is required' }] })).toBe(base);
    expect(fingerprint('choose', { ...view, form: { ...view.form, title: 'Another title', instructions: [] } })).toBe(base);
  });

  it('is what the engine stores with the session', async () => {
    const s = await atPlan();
    const { cmd } = tinyCommand();
    const view = await cmd.steps.get(s.step)?.view(tinyCtx(), s.data);
    if (view?.kind !== 'form') throw new Error('the plan step asks something');
    expect(s.fingerprint).toBe(fingerprint(s.step, view));
  });
});
