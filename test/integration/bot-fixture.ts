// Starts the real bot against the test bed's Prosody and Redis (one slot per test file), plus helpers to talk to it.
import { Redis } from 'ioredis';
import { inject } from 'vitest';
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { PassThrough } from 'node:stream';
import type { Log } from '../../src/domain/ports.js';
import { processLog } from '../../src/log.js';
import { startBot, type Bot } from '../../src/bot.js';
import { loadConfig, type Config } from '../../src/config.js';
import { NumberStore } from '../../src/store/numbers.js';
import { SAMPLE_NUMBERS } from '../kit/kit.js';
import { connectUser, xml, type Element, type TestUser } from '../harness/client.js';
import { allocateSlot, componentJidFor, redisUrlFor } from '../harness/slot.js';

export const NS_COMMANDS = 'http://jabber.org/protocol/commands';
export const NS_DATA = 'jabber:x:data';

export const quietLog: Log = { info: () => {}, warn: () => {}, error: (m) => console.error(m) };

/** The sample inventory every bed starts with (the same as the golden transcripts'). */
export const SAMPLE = SAMPLE_NUMBERS;

export interface Bed {
  readonly slot: number;
  readonly botJid: string;
  readonly redis: Redis;
  config(env?: Record<string, string>): Config;
  /** What the bots of this bed logged as warnings and errors, in order. */
  readonly logs: string[];
  /** Every line the bots logged, as the process writes it (JSON lines through pino). */
  jsonLog(): string;
  /** `now`: the bot's clock, for tests that move time on instead of waiting. */
  start(env?: Record<string, string>, now?: () => Date): Promise<Bot>;
  user(): Promise<TestUser>;
  close(): Promise<void>;
}

export async function bed(): Promise<Bed> {
  const slot = await allocateSlot();
  const botJid = componentJidFor(slot);
  const redis = new Redis(redisUrlFor(slot));
  const logs: string[] = [];
  let json = '';
  const sink = new PassThrough();
  sink.on('data', (d: Buffer) => {
    json += d.toString();
  });
  const lines = processLog({ level: 'debug', destination: sink });
  const bots: Bot[] = [];
  const users: TestUser[] = [];
  await new NumberStore(redis).import(SAMPLE);
  const config = (env: Record<string, string> = {}) =>
    loadConfig({
      BOT_JID: botJid,
      XMPP_SERVICE: `xmpp://127.0.0.1:${inject('componentPort')}`,
      XMPP_SECRET: inject('componentSecret'),
      REDIS_URL: redisUrlFor(slot),
      // The monthly rollover would act on the accounts tests write; billing tests turn it on.
      BILLING_SCHEDULER: '0',
      ...env,
    });
  return {
    slot,
    botJid,
    redis,
    config,
    logs,
    jsonLog: () => json,
    async start(env, now) {
      const log: Log = {
        info: (m, f) => lines.info(m, f),
        warn: (m, f) => {
          logs.push(m);
          lines.warn(m, f);
        },
        error: (m, f) => {
          logs.push(m);
          lines.error(m, f);
        },
      };
      const bot = await startBot(config(env), { log, ...(now ? { now } : {}) });
      bots.push(bot);
      return bot;
    },
    async user() {
      const u = await connectUser();
      users.push(u);
      return u;
    },
    async close() {
      await Promise.all(users.map((u) => u.stop().catch(() => undefined)));
      await Promise.all(bots.map((b) => b.stop().catch(() => undefined)));
      redis.disconnect();
    },
  };
}

/** A bed with one admin user, and the bot started with ADMIN_JIDS naming it. */
export async function bedWithAdmin(): Promise<{ b: Bed; admin: TestUser }> {
  const b = await bed();
  const admin = await b.user();
  await b.start({ ADMIN_JIDS: admin.bare });
  return { b, admin };
}

/** Send a chat message to the bot and return its answer. */
export async function chat(user: TestUser, bot: string, text: string): Promise<string> {
  await user.say(bot, text);
  return (await user.nextMessage({ from: bot })).body;
}

export interface CommandReply {
  readonly stanza: Element;
  readonly command: Element | undefined;
  readonly status: string | undefined;
  readonly sessionid: string | undefined;
  readonly notes: string[];
  readonly form: Element | undefined;
  /** Option values of a list field, in order. */
  options(field: string): string[];
  labels(field: string): string[];
  actions(): string[];
  /** The XEP-0050 specific error condition and the stanza condition, when type='error'. */
  readonly error?: { readonly stanza: string; readonly specific?: string };
}

export function readReply(stanza: Element): CommandReply {
  const command = stanza.getChild('command', NS_COMMANDS);
  const form = command?.getChild('x', NS_DATA);
  const field = (v: string) => form?.getChildren('field').find((f) => f.attrs.var === v);
  const err = stanza.attrs.type === 'error' ? stanza.getChild('error') : undefined;
  const errKids = err?.getChildElements() ?? [];
  return {
    stanza,
    command,
    status: command?.attrs.status,
    sessionid: command?.attrs.sessionid,
    notes: command?.getChildren('note').map((n) => n.getText()) ?? [],
    form,
    options: (v) =>
      field(v)
        ?.getChildren('option')
        .map((o) => o.getChildText('value') ?? '') ?? [],
    labels: (v) =>
      field(v)
        ?.getChildren('option')
        .map((o) => String(o.attrs.label)) ?? [],
    actions: () =>
      command
        ?.getChild('actions')
        ?.getChildElements()
        .map((a) => a.name) ?? [],
    ...(err
      ? {
          error: {
            stanza: errKids.find((k) => k.attrs.xmlns === 'urn:ietf:params:xml:ns:xmpp-stanzas' && k.name !== 'text')?.name ?? '',
            specific: errKids.find((k) => k.attrs.xmlns === NS_COMMANDS)?.name,
          },
        }
      : {}),
  };
}

/** Send one XEP-0050 request. `values` become a submitted form; `action: null` omits the attribute. */
export async function command(
  user: TestUser,
  to: string,
  node: string,
  opts: { sessionid?: string; action?: string | null; values?: Record<string, string | string[]>; formType?: string } = {},
): Promise<CommandReply> {
  const action = opts.action === undefined ? (opts.sessionid ? 'next' : 'execute') : opts.action;
  const form = opts.values
    ? xml(
        'x',
        { xmlns: NS_DATA, type: opts.formType ?? 'submit' },
        ...Object.entries(opts.values).map(([k, v]) =>
          xml('field', { var: k }, ...(Array.isArray(v) ? v : [v]).map((x) => xml('value', {}, x))),
        ),
      )
    : undefined;
  const attrs: Record<string, string> = { xmlns: NS_COMMANDS, node };
  if (action !== null) attrs.action = action;
  if (opts.sessionid) attrs.sessionid = opts.sessionid;
  const res = await user.iq(xml('iq', { type: 'set', to }, form ? xml('command', attrs, form) : xml('command', attrs)));
  return readReply(res);
}

/** One raw HTTP request to 127.0.0.1:`port` (what fetch would normalise first): the answer, status line first. */
export function rawHttp(port: number | string, requestLine: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = connect(Number(port), '127.0.0.1', () => sock.write(`${requestLine}\r\nHost: x\r\nConnection: close\r\n\r\n`));
    let got = '';
    sock.on('data', (d: Buffer) => (got += d.toString()));
    sock.on('end', () => resolve(got));
    sock.on('error', reject);
  });
}

/** A bot as a real process (a group of its own, so a kill reaches tsx's child too), with what it printed so far. */
export function botProcess(command: string, args: readonly string[], env: Record<string, string>) {
  const child = spawn(command, args, { env: { PATH: process.env.PATH ?? '', ...env }, detached: true });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', r));
  return {
    child,
    exited,
    out: () => out,
    async waitFor(re: RegExp, ms = 10_000): Promise<void> {
      for (const until = Date.now() + ms; !re.test(out); ) {
        if (Date.now() > until) throw new Error(`no ${re} within ${ms} ms: ${out}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    /** Signal its whole group and wait for it to exit. */
    async kill(signal: NodeJS.Signals): Promise<void> {
      process.kill(-child.pid!, signal);
      await exited;
    },
  };
}
