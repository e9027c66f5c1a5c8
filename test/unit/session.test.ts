// Sessions are versioned JSON naming steps by id: any process can continue one after a restart.
import { describe, expect, it } from 'vitest';
import { begin, proceed, type Turn } from '../../src/runtime/engine.js';
import { fingerprint, readSession, SESSION_VERSION, type Session } from '../../src/runtime/session.js';
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

const json = (s: Session): unknown => JSON.parse(JSON.stringify(s));

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

  it('survives a JSON round trip unchanged', async () => {
    const s = await atPlan();
    expect(json(s)).toStrictEqual(s);
  });

  it('survives structuredClone unchanged', async () => {
    const s = await atPlan();
    expect(structuredClone(s)).toStrictEqual(s);
  });

  it.each([
    ['JSON', json],
    ['structuredClone', (s: Session): unknown => structuredClone(s)],
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
  it('accepts a session and its JSON copy, as a session of its command', async () => {
    const s = await atPlan();
    expect(readSession(s, registry)).toMatchObject({ ok: true, session: s, cmd: { node: 'urn:test:tiny' } });
    expect(readSession(json(s), registry)).toStrictEqual(readSession(s, registry));
  });

  it.each([
    ['a later version', { v: SESSION_VERSION + 1 }],
    ['an earlier version than any release wrote', { v: 0 }],
    ['a version as a string', { v: String(SESSION_VERSION) }],
    ['no version', { v: undefined }],
    ['a numeric id', { id: 7 }],
    ['no step', { step: undefined }],
    ['a step the command does not have', { step: 'pay' }],
    ['history naming a step the command does not have', { history: ['nope'] }],
    ['a command that is not registered', { node: 'urn:test:gone' }],
    ['data its command does not accept', { data: { name: 42 } }],
    ['data of a version its command cannot migrate', { dataVersion: 7 }],
    [
      'a damaged form',
      { shown: { kind: 'form', form: { fields: [{ type: 'colour', var: 'x' }] }, actions: ['next'], defaultAction: 'next' } },
    ],
  ])('refuses %s', async (_name, change) => {
    const s = await atPlan();
    expect(readSession({ ...s, ...change }, registry)).toStrictEqual({ ok: false });
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
    expect(s.fingerprint).toBe(fingerprint(s.step, s.shown));
  });
});
