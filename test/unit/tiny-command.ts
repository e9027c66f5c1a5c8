// A three-step command for engine and session tests: name → plan → confirm, with a fixed clock and ids.
import { z } from 'zod';
import { type Command, type Ctx, defineCommand, type Step } from '../../src/commands/contract.js';
import type { Deps } from '../../src/commands/deps.js';
import { Registry } from '../../src/commands/registry.js';

export const T0 = new Date('2026-11-22T10:00:00Z');
export const TTL_SECONDS = 600;

export interface Clock {
  now: Date;
}

/** Only what the engine reads from Deps: the clock and the session lifetime. */
export function tinyCtx(clock: Clock = { now: T0 }, sessionId = 'sess-1'): Ctx {
  const deps = { now: () => clock.now, newId: () => 'id-1', settings: { sessionTtlSeconds: TTL_SECONDS } } as unknown as Deps;
  return { who: { jid: 'alice@example.com/phone', bare: 'alice@example.com', isAdmin: false }, deps, sessionId };
}

export const PLANS = [
  { value: 'monthly', label: 'Monthly, $5' },
  { value: 'yearly', label: 'Yearly, $50' },
  { value: 'restart', label: 'Start over' },
] as const;

const tinyData = z.object({ name: z.string().optional(), plan: z.string().optional() });
export type TinyData = z.infer<typeof tinyData>;
type TinyStep = 'name' | 'plan' | 'confirm';

const name: Step<TinyStep, TinyData> = {
  leadsTo: ['plan'],
  async view(_ctx, data) {
    return {
      kind: 'form',
      form: {
        title: 'Your name',
        fields: [{ type: 'text-single', var: 'name', label: 'Name', required: true, ...(data.name ? { value: data.name } : {}) }],
      },
      actions: ['next'],
      defaultAction: 'next',
    };
  },
  async submit(_ctx, data, values) {
    if (values.name === 'nobody') return { done: { kind: 'done', notes: [{ type: 'info', text: 'Nothing to do for nobody.' }] } };
    return { to: 'plan', data: { ...data, name: values.name as string } };
  },
};

const plan: Step<TinyStep, TinyData> = {
  leadsTo: ['name', 'confirm'],
  async view(_ctx, data) {
    if (data.name === 'closed') return { kind: 'done', notes: [{ type: 'warn', text: 'Signups are closed.' }] };
    return {
      kind: 'form',
      form: {
        title: 'Choose a plan',
        fields: [
          { type: 'list-single', var: 'plan', label: 'Plan', required: true, options: PLANS, ...(data.plan ? { value: data.plan } : {}) },
        ],
      },
      actions: ['next'],
      defaultAction: 'next',
      notes: [{ type: 'info', text: `Hello, ${String(data.name)}.` }],
    };
  },
  async submit(_ctx, data, values) {
    if (values.plan === 'restart') return { to: 'name', data };
    return { to: 'confirm', data: { ...data, plan: values.plan as string }, notes: [{ type: 'info', text: 'Good choice.' }] };
  },
};

const confirm: Step<TinyStep, TinyData> = {
  leadsTo: ['plan'],
  async view(_ctx, data) {
    return {
      kind: 'form',
      form: {
        fields: [{ type: 'boolean', var: 'confirm', label: `Sign up ${String(data.name)} on ${String(data.plan)}?`, required: true }],
      },
      actions: ['complete'],
      defaultAction: 'complete',
    };
  },
  async submit(_ctx, data, values) {
    if (values.confirm !== true) return { to: 'plan', data };
    return { done: { kind: 'done', notes: [{ type: 'info', text: `Signed up ${String(data.name)} on ${String(data.plan)}.` }] } };
  },
};

/** The command, plus a log of every release (cancel or expiry) with the data it was given. */
export function tinyCommand(extra: Partial<Record<string, Step<TinyStep, TinyData>>> = {}): { cmd: Command; released: TinyData[] } {
  const released: TinyData[] = [];
  const cmd = defineCommand<TinyStep, TinyData>({
    node: 'urn:test:tiny',
    name: 'Tiny signup',
    chatWords: ['tiny'],
    access: () => 'listed',
    data: { version: 1, schema: tinyData, initial: {} },
    start: 'name',
    steps: { name, plan, confirm, ...extra },
    release: async (_ctx, data) => {
      released.push(data);
    },
  });
  return { cmd, released };
}

/** A registry holding just the tiny command (for renderers that name commands). */
export const registry = new Registry([tinyCommand().cmd]);
