// The step machine: XEP-0050 actions (execute/next/prev/complete/cancel) over a graph of named steps.
import { describe, expect, it } from 'vitest';
import { again, allowedActions, begin, proceed, type Turn } from '../../src/runtime/engine.js';
import { CommandError } from '../../src/domain/errors.js';
import type { Session } from '../../src/runtime/session.js';
import { defineCommand, type FormView } from '../../src/commands/contract.js';
import { noData } from '../../src/commands/no-data.js';
import { T0, TTL_SECONDS, tinyCommand, tinyCtx, type Clock } from './tiny-command.js';

function live(turn: Turn): Session {
  if (!turn.session) throw new Error(`expected a live session, got ${JSON.stringify(turn)}`);
  return turn.session;
}

function form(turn: Turn): FormView {
  if (turn.view.kind !== 'form') throw new Error(`expected a form, got ${JSON.stringify(turn.view)}`);
  return turn.view;
}

/** The command driven through the engine with a clock the test can move. */
function driver() {
  const { cmd, released } = tinyCommand();
  const clock: Clock = { now: T0 };
  const ctx = tinyCtx(clock);
  return {
    cmd,
    released,
    clock,
    ctx,
    start: async () => begin(cmd, ctx, 'alice@example.com/phone'),
    act: async (s: Session, action: 'execute' | 'next' | 'prev' | 'complete' | 'cancel', values?: Record<string, string[]>) =>
      proceed(cmd, s, values ? { action, values } : { action }, ctx),
  };
}

async function rejection(p: Promise<unknown>): Promise<CommandError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof CommandError) return err;
    throw err;
  }
  throw new Error('expected a CommandError');
}

/** Walk to the confirm step: name Ann, plan monthly. */
async function toConfirm(d: ReturnType<typeof driver>): Promise<Session> {
  const s1 = live(await d.start());
  const s2 = live(await d.act(s1, 'next', { name: ['Ann'] }));
  return live(await d.act(s2, 'next', { plan: ['monthly'] }));
}

describe('begin', () => {
  it('shows the first step and starts a session there, with nothing behind it', async () => {
    const t = await driver().start();
    expect(t.status).toBe('executing');
    expect(form(t).form.title).toBe('Your name');
    expect(form(t).form.fields.map((f) => f.var)).toEqual(['name']);
    expect(live(t)).toMatchObject({ step: 'name', history: [], data: {} });
    expect(allowedActions(live(t))).toEqual(['next']);
  });

  it('ends at once when the first step is a DoneView: completed, no session', async () => {
    const shut = defineCommand<'shut', Record<string, never>>({
      node: 'urn:test:shut',
      name: 'Shut',
      chatWords: [],
      access: () => 'listed',
      data: noData,
      start: 'shut',
      steps: {
        shut: {
          leadsTo: [],
          view: async () => ({ kind: 'done', notes: [{ type: 'info', text: 'You already have a number.' }] }),
          submit: async () => ({ done: { kind: 'done', notes: [] } }),
        },
      },
    });
    const t = await begin(shut, tinyCtx(), 'alice@example.com');
    expect(t).toStrictEqual({ status: 'completed', view: { kind: 'done', notes: [{ type: 'info', text: 'You already have a number.' }] } });
  });
});

describe('moving on', () => {
  it('execute uses the stage default: next on the first step', async () => {
    const d = driver();
    const s1 = live(await d.start());
    const viaExecute = await d.act(s1, 'execute', { name: ['Ann'] });
    const viaNext = await d.act(s1, 'next', { name: ['Ann'] });
    expect(live(viaExecute).step).toBe('plan');
    expect(viaExecute).toStrictEqual(viaNext);
  });

  it('execute uses the stage default: complete on a step that only offers complete', async () => {
    const d = driver();
    const s3 = await toConfirm(d);
    expect(allowedActions(s3)).toEqual(['prev', 'complete']);
    const t = await d.act(s3, 'execute', { confirm: ['true'] });
    expect(t.status).toBe('completed');
    expect(t.view).toEqual({ kind: 'done', notes: [{ type: 'info', text: 'Signed up Ann on monthly.' }] });
    expect(t.session).toBeUndefined();
  });

  it('next carries the entered data on, pushes the step onto history, and shows the next form', async () => {
    const d = driver();
    const s1 = live(await d.start());
    const t = await d.act(s1, 'next', { name: ['Ann'] });
    expect(live(t)).toMatchObject({ step: 'plan', history: ['name'], data: { name: 'Ann' } });
    expect(form(t).form.title).toBe('Choose a plan');
    expect(form(t).notes).toEqual([{ type: 'info', text: 'Hello, Ann.' }]);
    expect(allowedActions(live(t))).toEqual(['prev', 'next']);
  });

  it('the notes an outcome carries go with that reply only, not into the stored step', async () => {
    const d = driver();
    const s2 = live(await d.act(live(await d.start()), 'next', { name: ['Ann'] }));
    const t = await d.act(s2, 'next', { plan: ['monthly'] });
    expect(t.notes).toEqual([{ type: 'info', text: 'Good choice.' }]);
    expect(live(t).history).toEqual(['name', 'plan']);
    // Run again (the session keeps no words), the step shows its own view, without the outcome's note.
    expect((await again(d.cmd, live(t), d.ctx)).notes).toBeUndefined();
  });

  it('each turn renews the session lifetime from the clock', async () => {
    const d = driver();
    const s1 = live(await d.start());
    d.clock.now = new Date(T0.getTime() + 60_000);
    const s2 = live(await d.act(s1, 'next', { name: ['Ann'] }));
    expect(s2.expiresAt).toBe(T0.getTime() + 60_000 + TTL_SECONDS * 1000);
  });
});

describe('going back', () => {
  it('prev shows the earlier step prefilled with what was entered, and pops history', async () => {
    const d = driver();
    const s3 = await toConfirm(d);
    const back = await d.act(s3, 'prev');
    expect(live(back)).toMatchObject({ step: 'plan', history: ['name'], data: { name: 'Ann', plan: 'monthly' } });
    expect(form(back).form.fields[0]).toMatchObject({ var: 'plan', value: 'monthly' });

    const first = await d.act(live(back), 'prev');
    expect(live(first)).toMatchObject({ step: 'name', history: [], data: { name: 'Ann', plan: 'monthly' } });
    expect(form(first).form.fields[0]).toMatchObject({ var: 'name', value: 'Ann' });
  });

  it('prev on the first step is bad-action', async () => {
    const d = driver();
    const s1 = live(await d.start());
    expect((await rejection(d.act(s1, 'prev'))).condition).toBe('bad-action');
  });

  it('an outcome leading to a step already in history rewinds history instead of growing it', async () => {
    const d = driver();
    const s3 = await toConfirm(d);
    const no = live(await d.act(s3, 'complete', { confirm: ['false'] }));
    expect(no).toMatchObject({ step: 'plan', history: ['name'] });

    const restart = live(await d.act(no, 'next', { plan: ['restart'] }));
    expect(restart).toMatchObject({ step: 'name', history: [] });
    expect(allowedActions(restart)).toEqual(['next']);
  });
});

describe('refusing', () => {
  it('complete where only next is offered is bad-action, and nothing moves', async () => {
    const d = driver();
    const s1 = live(await d.start());
    expect((await rejection(d.act(s1, 'complete', { name: ['Ann'] }))).condition).toBe('bad-action');
  });

  it('next where only complete is offered is taken as complete (Poezio sends next at every stage)', async () => {
    const d = driver();
    const s3 = await toConfirm(d);
    const t = await d.act(s3, 'next', { confirm: ['true'] });
    expect(t.status).toBe('completed');
    expect(t.view).toEqual({ kind: 'done', notes: [{ type: 'info', text: 'Signed up Ann on monthly.' }] });
  });

  it('complete where only next is offered is still bad-action', async () => {
    const d = driver();
    const s1 = live(await d.start());
    expect((await rejection(d.act(s1, 'complete', { name: ['Ann'] }))).condition).toBe('bad-action');
  });

  it('a missing required field shows the same step again with an error note naming it', async () => {
    const d = driver();
    const s1 = live(await d.start());
    const t = await d.act(s1, 'next', {});
    expect(t.status).toBe('executing');
    expect(t.notes).toEqual([{ type: 'error', text: 'Name is required' }]);
    expect(live(t)).toMatchObject({ step: 'name', history: [], data: {} });
    expect(form(t).form).toEqual(form(await d.start()).form);
    expect(live(t).shown).toEqual(s1.shown);
  });

  it('an invalid choice is answered on the same step, and a valid retry then moves on', async () => {
    const d = driver();
    const s1 = live(await d.start());
    const s2 = live(await d.act(s1, 'next', { name: ['Ann'] }));
    const bad = await d.act(s2, 'next', { plan: ['weekly'] });
    // The error goes with this reply; the step's own note stays in the view.
    expect(bad.notes).toEqual([{ type: 'error', text: 'Plan is not one of the choices' }]);
    expect(form(bad).notes).toEqual([{ type: 'info', text: 'Hello, Ann.' }]);
    expect(live(bad)).toMatchObject({ step: 'plan', history: ['name'], data: { name: 'Ann' } });
    const good = await d.act(live(bad), 'next', { plan: ['yearly'] });
    expect(live(good)).toMatchObject({ step: 'confirm', data: { name: 'Ann', plan: 'yearly' } });
  });
});

describe('ending', () => {
  it('cancel releases what the session holds and reports canceled', async () => {
    const d = driver();
    const s3 = await toConfirm(d);
    const t = await d.act(s3, 'cancel');
    expect(t.status).toBe('canceled');
    expect(t.session).toBeUndefined();
    expect(t.view.kind).toBe('done');
    expect(d.released).toEqual([{ name: 'Ann', plan: 'monthly' }]);
  });

  it('a step whose view is a DoneView ends the command: completed, no session', async () => {
    const d = driver();
    const s1 = live(await d.start());
    const t = await d.act(s1, 'next', { name: ['closed'] });
    expect(t.status).toBe('completed');
    expect(t.session).toBeUndefined();
    expect(t.view).toEqual({ kind: 'done', notes: [{ type: 'warn', text: 'Signups are closed.' }] });
  });

  it('a command that ends, by a result or by a step whose view is a result, lets go of what its session holds', async () => {
    const d = driver();
    await d.act(live(await d.start()), 'next', { name: ['nobody'] });
    const d2 = driver();
    await d2.act(live(await d2.start()), 'next', { name: ['closed'] });
    expect([...d.released, ...d2.released]).toEqual([{}, { name: 'closed' }]);
  });

  it('a submit that returns done ends the command', async () => {
    const d = driver();
    const t = await d.act(live(await d.start()), 'next', { name: ['nobody'] });
    expect(t).toStrictEqual({ status: 'completed', view: { kind: 'done', notes: [{ type: 'info', text: 'Nothing to do for nobody.' }] } });
  });
});
