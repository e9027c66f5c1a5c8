// The command contract checks itself: step ids are a type, views cannot write, the registry refuses a command
// graph with holes at start, and the runtime refuses a step that goes where it did not declare.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type Command, defineCommand, type Step } from '../../src/commands/contract.js';
import { defaultRegistry, Registry, RegistryError, registryProblems } from '../../src/commands/registry.js';
import { noData, type NoData } from '../../src/commands/no-data.js';
import { begin, proceed } from '../../src/runtime/engine.js';
import { tinyCommand, tinyCtx } from './tiny-command.js';

const form = { kind: 'form', form: { fields: [] }, actions: ['next'], defaultAction: 'next' } as const;

function command(node: string, words: string[], steps: Record<string, Step<string, NoData>>, start = 'a'): Command {
  return defineCommand<string, NoData>({ node, name: node, chatWords: words, access: () => 'listed', data: noData, start, steps });
}

describe('step ids are a type', () => {
  it('a step that goes to a step its command does not have does not compile', () => {
    defineCommand<'a' | 'b', NoData>({
      node: 'urn:test:typed',
      name: 'Typed',
      chatWords: [],
      access: () => 'listed',
      data: noData,
      start: 'a',
      steps: {
        a: {
          leadsTo: ['b'],
          view: async () => form,
          // @ts-expect-error: 'nope' is not a step of this command
          submit: async (_ctx, data) => ({ to: 'nope', data }),
        },
        b: { leadsTo: [], view: async () => form, submit: async () => ({ done: { kind: 'done', notes: [] } }) },
      },
    });
    defineCommand<'a' | 'b', NoData>({
      node: 'urn:test:missing',
      name: 'Missing',
      chatWords: [],
      access: () => 'listed',
      data: noData,
      start: 'a',
      // @ts-expect-error: step b is declared in the type but missing here
      steps: { a: { leadsTo: [], view: async () => form, submit: async () => ({ done: { kind: 'done', notes: [] } }) } },
    });
    expect(true).toBe(true);
  });

  it('a view gets the reading ports only: holding a number from a view does not compile', () => {
    const step: Step<'a', NoData> = {
      leadsTo: [],
      async view(ctx) {
        // @ts-expect-error: views only read
        void ctx.deps.numbers.reserve;
        // @ts-expect-error: views only read
        void ctx.deps.notify;
        return form;
      },
      submit: async () => ({ done: { kind: 'done', notes: [] } }),
    };
    expect(step.leadsTo).toEqual([]);
  });

  it('step data is what its schema says, parsed when a session is read back', () => {
    const spec = z.object({ n: z.number() });
    const cmd = defineCommand<'a', z.infer<typeof spec>>({
      node: 'urn:test:data',
      name: 'Data',
      chatWords: [],
      access: () => 'listed',
      data: {
        version: 3,
        schema: spec,
        initial: { n: 0 },
        migrate: (from, old) => (from === 2 && typeof old === 'object' && old && 'count' in old ? { n: Number(old.count) } : undefined),
      },
      start: 'a',
      steps: {
        a: {
          leadsTo: [],
          view: async () => form,
          submit: async (_c, data) => ({ done: { kind: 'done', notes: [{ type: 'info', text: String(data.n + 1) }] } }),
        },
      },
    });
    expect(cmd.readData(3, { n: 4 })).toEqual({ n: 4 });
    expect(cmd.readData(3, { n: 'four' })).toBeUndefined();
    expect(cmd.readData(2, { count: '7' })).toEqual({ n: 7 });
    expect(cmd.readData(1, { n: 4 })).toBeUndefined();
  });
});

describe('the registry checks the command graph at start', () => {
  const ok: Step<string, NoData> = { leadsTo: [], view: async () => form, submit: async () => ({ done: { kind: 'done', notes: [] } }) };

  it('the bot’s own registry is consistent, with and without card payments', () => {
    expect(() => defaultRegistry({ cardPayments: false })).not.toThrow();
    expect(() => defaultRegistry({ cardPayments: true })).not.toThrow();
  });

  it('names every problem: a node twice, a chat word twice, a control word, a missing start or target', () => {
    const problems = registryProblems([
      command('urn:a', ['go'], { a: ok }),
      command('urn:a', ['Go Now'], { a: ok }),
      command('urn:b', ['go', 'back'], { a: { ...ok, leadsTo: ['z'] } }),
      command('urn:c', [], { a: ok }, 'start'),
    ]);
    expect(problems).toEqual([
      'node urn:a is declared twice',
      'urn:a: chat word "Go Now" must be one lower-case word',
      'chat word "go" belongs to both urn:a and urn:b',
      'urn:b: "back" is a word every step keeps for itself',
      'urn:b: step a leads to z, which does not exist',
      'urn:c: start step start does not exist',
    ]);
    expect(() => new Registry([command('urn:a', [], { a: ok }), command('urn:a', [], { a: ok })])).toThrow(RegistryError);
  });

  it('a step that goes to a step it did not declare is stopped at run time', async () => {
    const sneaky: Step<string, NoData> = { leadsTo: [], view: async () => form, submit: async () => ({ to: 'b', data: {} }) };
    const cmd = command('urn:sneaky', [], { a: sneaky, b: ok });
    const ctx = tinyCtx();
    const first = await begin(cmd, ctx, 'alice@example.com/phone');
    await expect(proceed(cmd, first.session!, { action: 'next', values: {} }, ctx)).rejects.toThrow(/went to b, which it does not declare/);
    // The tiny command declares its targets and goes through.
    const { cmd: tiny } = tinyCommand();
    const t = await begin(tiny, ctx, 'alice@example.com/phone');
    expect((await proceed(tiny, t.session!, { action: 'next', values: { name: ['Ann'] } }, ctx)).session?.step).toBe('plan');
  });
});
