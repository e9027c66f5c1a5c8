// `npm run bench [-- --quick]`: Redis round trips per step (target ≤ 2), and throughput, latency and CPU per
// step for ad-hoc and chat signups, against real Prosody and Redis on loopback, for the bot and, on the same
// Prosody, interleaved with it, a do-nothing component and one that replays the bot's exact stanzas (the
// ratios are the bot's own cost); then the monthly rollover over 100,000 seeded accounts (BENCH_ROLLOVER_ACCOUNTS).
// --quick: shorter runs, one start-up each, 10,000 accounts. --soak: a 5-minute steady run, the bot's RSS over it.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { client, xml } from '@xmpp/client';
import type { Element } from '../src/xmpp/xml.js';
import { runRollover } from '../src/billing/rollover.js';
import { loadCatalogue, SAMPLE_PLANS_FILE } from '../src/config.js';
import { keys } from '../src/store/keys.js';
import { NumberStore } from '../src/store/numbers.js';
import { RolloverStore } from '../src/store/rollover.js';
import { connectRedis } from '../src/store/redis.js';
import { startProsody, startRedis } from '../src/dev/servers.js';
import type { Redis } from '../src/store/redis.js';
import { chatStepOf, type Recording } from './steps.js';
import { buildDist, buildTo } from '../scripts/build.mjs';

const NS = 'http://jabber.org/protocol/commands';
const BOT = 'bot.localhost';
/** The do-nothing and the replaying components (bench/stand-in.ts). */
const NULL = 'null.localhost';
const REPLAY = 'replay.localhost';
const QUICK = process.argv.includes('--quick');
/** --soak: only a steady run (BENCH_SOAK_SECONDS, 300 by default) at CLIENTS users, the bot's RSS sampled as it goes. */
const SOAK = process.argv.includes('--soak');
const SOAK_SECONDS = Number(process.env.BENCH_SOAK_SECONDS ?? 300);
/** A second component, for timing start-ups while the benchmarked bot stays connected as BOT. */
const STARTUP_BOT = 'startup.localhost';
const STARTS = QUICK ? 1 : 5;
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 32);
const SECONDS = Number(process.env.BENCH_SECONDS ?? (QUICK ? 2 : 5));

type Stats = { roundTrips: number; calls: number; cpuMicros: number; rss: number };

function ask(child: ChildProcess, msg: string): Promise<Stats> {
  return new Promise((resolve) => {
    child.once('message', (m) => resolve(m as Stats));
    child.send(msg);
  });
}

async function login(port: number, to = BOT) {
  const x = client({ service: `xmpp://127.0.0.1:${port}`, domain: 'anon.localhost' });
  x.on('error', () => {});
  x.reconnect.stop();
  const waiting: ((b: string) => void)[] = [];
  x.on('stanza', (s: Element) => {
    const body = s.is('message') ? s.getChildText('body') : null;
    if (body !== null) waiting.shift()?.(body);
  });
  await x.start();
  // No Nagle on the bench's own sockets: a 40 ms delayed-ACK stall would measure TCP, not the component.
  (x as unknown as { socket?: { setNoDelay?(on: boolean): void } }).socket?.setNoDelay?.(true);
  const iq = (node: string, attrs: Record<string, string>, values?: Record<string, string>) =>
    x.iqCaller.request(
      xml(
        'iq',
        { type: 'set', to },
        xml(
          'command',
          { xmlns: NS, node, ...attrs },
          ...(values
            ? [
                xml(
                  'x',
                  { xmlns: 'jabber:x:data', type: 'submit' },
                  ...Object.entries(values).map(([k, v]) => xml('field', { var: k }, xml('value', {}, v))),
                ),
              ]
            : []),
        ),
      ),
    ) as Promise<Element>;
  const say = (body: string) =>
    new Promise<string>((resolve) => {
      waiting.push(resolve);
      void x.send(xml('message', { type: 'chat', to }, xml('body', {}, body)));
    });
  return { x, iq, say };
}

type User = Awaited<ReturnType<typeof login>>;
const REGISTER = 'jabber:iq:register';

/** One ad-hoc cycle: start, choose, confirm, cancel (4 steps, leaves nothing held). */
/**
 * What a cycle reports after each step: how long it took, which step (bench/steps.ts names), the answer (the
 * `<command/>` XML, or the chat reply's body), and the ad-hoc session.
 */
type StepDone = (ms: number, step: string, answer: string, sessionid?: string) => void | Promise<void>;

async function adhocCycle(u: User, pick: number, done: StepDone): Promise<void> {
  let t = performance.now();
  const first = await u.iq(REGISTER, { action: 'execute' });
  const cmd = first.getChild('command', NS)!;
  const sid = cmd.attrs.sessionid as string;
  await done(performance.now() - t, 'start', cmd.toString(), sid);
  // The do-nothing stand-in sends no form: the same requests follow, with a made-up number.
  const tels =
    cmd
      .getChild('x', 'jabber:x:data')
      ?.getChildren('field')
      .find((f) => f.attrs.var === 'tel')
      ?.getChildren('option') ?? [];
  const tel = tels[pick % Math.max(tels.length, 1)]?.getChildText('value') ?? '+14165551000';
  for (const [step, attrs, values] of [
    ['choose', { action: 'next', sessionid: sid }, { tel }],
    ['confirm', { action: 'next', sessionid: sid }, { confirm: 'true' }],
    ['cancel', { action: 'cancel', sessionid: sid }, undefined],
  ] as const) {
    t = performance.now();
    const answer = await u.iq(REGISTER, attrs, values);
    await done(performance.now() - t, step, answer.getChild('command', NS)?.toString() ?? '', sid);
  }
}

/** One chat cycle: hi, a letter, y, cancel (4 steps). */
async function chatCycle(u: User, pick: number, done: StepDone): Promise<void> {
  for (const body of ['hi', 'abcde'[pick % 5]!, 'y', 'cancel']) {
    const t = performance.now();
    const answer = await u.say(body);
    await done(performance.now() - t, chatStepOf(body), answer);
  }
}

/** Spawn a bot and time it until it says it is ready; then stop it and wait for it to go (its domain is free again). */
function timeStart(cmd: string, args: string[], env: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    // Its own process group: npm (and tsx) run the bot as a child, and the whole group is stopped.
    const child = spawn(cmd, args, { env, detached: true });
    const stop = (signal: NodeJS.Signals) => {
      try {
        process.kill(-(child.pid ?? 0), signal);
      } catch {
        // Gone already.
      }
    };
    let out = '';
    let ready = 0;
    const timer = setTimeout(() => stop('SIGKILL'), 20_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      if (!ready && /ready as /.test(out)) {
        ready = performance.now() - t0;
        stop('SIGTERM');
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', () => {
      clearTimeout(timer);
      if (ready) resolve(ready);
      else reject(new Error(`${cmd} ${args.join(' ')} never became ready: ${out.slice(-400)}`));
    });
  });
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

/** The bot's answer to each step of one ad-hoc cycle and one chat cycle: what the replaying stand-in sends. */
/** What one open session takes in Redis (MEMORY USAGE, key and value), ad-hoc and chat, at the options step. */
const sessionBytes = { adhoc: 0, chat: 0 };

async function record(port: number, redis: Redis): Promise<Recording> {
  const u = await login(port);
  const size = async (key: string) => Number(await redis.memory('USAGE', key));
  const adhoc: Record<string, string> = {};
  await adhocCycle(u, 0, async (_ms, step, answer, sid) => {
    adhoc[step] = answer;
    if (step === 'confirm') sessionBytes.adhoc = await size(keys.session(sid ?? ''));
  });
  const chat: Record<string, string> = {};
  await chatCycle(u, 0, () => {}); // the first message of all gets a welcome line: record a later cycle
  await chatCycle(u, 0, async (_ms, step, answer) => {
    chat[step] = answer;
    if (step === 'y') sessionBytes.chat = await size(keys.chatSession(u.x.jid?.bare().toString() ?? ''));
  });
  await u.x.stop();
  return { adhoc, chat };
}

/**
 * Start a stand-in component (bench/stand-in.ts, compiled into `bin` as the bot is) in a process of its own;
 * resolves once it is online.
 */
async function standIn(bin: string, mode: 'null' | 'replay', jid: string, env: Record<string, string>): Promise<ChildProcess> {
  const child = fork(join(bin, 'stand-in.js'), [], {
    env: { ...process.env, ...env, STAND_IN_MODE: mode, STAND_IN_JID: jid },
  });
  await new Promise((res) => child.once('message', res));
  return child;
}

/** Every command Redis ran so far, by name (INFO commandstats: those inside Lua scripts too), INFO left out. */
async function redisCommands(r: Redis): Promise<Map<string, number>> {
  const info = await r.info('commandstats');
  const out = new Map<string, number>();
  for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) if (m[1] !== 'info') out.set(m[1] as string, Number(m[2]));
  return out;
}

interface Run {
  readonly stepsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly cpuMicros: number;
  readonly redisPerStep?: number;
  /** The commands that make most of it, per step. */
  readonly redisTop?: string;
}

/** `clients` users run `cycle` against `to` for SECONDS: steps/s, latency, and the component's CPU per step. */
async function throughput(
  port: number,
  to: string,
  clients: number,
  cycle: typeof adhocCycle,
  proc: ChildProcess,
  redis?: Redis,
): Promise<Run> {
  const users = await Promise.all(Array.from({ length: clients }, () => login(port, to)));
  // One cycle each first: the first chat message of all gets a welcome line, and connections warm up.
  await Promise.all(users.map((u, i) => cycle(u, i, () => {})));
  const times: number[] = [];
  const before = await ask(proc, 'stats');
  const commandsBefore = redis ? await redisCommands(redis) : new Map<string, number>();
  const start = performance.now();
  const deadline = start + SECONDS * 1000;
  await Promise.all(
    users.map(async (user, i) => {
      let n = i;
      while (performance.now() < deadline)
        await cycle(user, n++, (ms) => {
          times.push(ms);
        });
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  const after = await ask(proc, 'stats');
  const after2 = redis ? await redisCommands(redis) : new Map<string, number>();
  const delta = [...after2].map(([k, v]) => [k, v - (commandsBefore.get(k) ?? 0)] as const).filter(([, v]) => v > 0);
  const commands = delta.reduce((a, [, v]) => a + v, 0);
  const top = delta
    .sort((a, b) => b[1] - a[1])
    .slice(0, 6)
    .map(([k, v]) => `${k} ${(v / Math.max(times.length, 1)).toFixed(1)}`)
    .join(', ');
  await Promise.all(users.map((x) => x.x.stop().catch(() => {})));
  return {
    stepsPerSecond: times.length / elapsed,
    p50: pct(times, 50),
    p99: pct(times, 99),
    cpuMicros: (after.cpuMicros - before.cpuMicros) / times.length,
    ...(redis ? { redisPerStep: commands / times.length, redisTop: top } : {}),
  };
}

/**
 * What one Redis call costs a Node client on this machine, whatever it asks: an EVALSHA of a script that does one
 * GET, with a session-sized argument, one call at a time. A step makes at least two (take, then store), so twice
 * this is the floor of the bot's CPU per step beside the stand-ins' XMPP cost.
 */
async function redisCallCost(r: Redis): Promise<void> {
  const sha = String(await r.script('LOAD', "redis.call('GET', KEYS[1]) return {'ok', ARGV[1]}"));
  const doc = 'x'.repeat(450);
  const calls = QUICK ? 3000 : 10_000;
  for (let i = 0; i < 500; i++) await r.evalsha(sha, 1, 'bench-call-cost', doc);
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < calls; i++) await r.evalsha(sha, 1, 'bench-call-cost', doc);
  const used = process.cpuUsage(cpu);
  const us = (x: number) => (x / calls).toFixed(0);
  console.log(
    `One Redis call from Node here (EVALSHA of a one-GET script, one at a time): ${us((performance.now() - start) * 1000)} µs a round trip, ` +
      `${us(used.user + used.system)} µs of the client's CPU (${us(used.system)} of it in the kernel); a step makes at least 2`,
  );
}

/** A steady run of ad-hoc and chat cycles (half the users each) for SOAK_SECONDS: does the bot's memory stay flat? */
async function soak(port: number, bot: ChildProcess): Promise<void> {
  const users = await Promise.all(Array.from({ length: CLIENTS }, () => login(port)));
  const rss: number[] = [];
  let steps = 0;
  const deadline = performance.now() + SOAK_SECONDS * 1000;
  const sampler = (async () => {
    while (performance.now() < deadline) {
      rss.push((await ask(bot, 'stats')).rss);
      await new Promise((r) => setTimeout(r, 10_000));
    }
  })();
  await Promise.all(
    users.map(async (u, i) => {
      let n = i;
      const cycle = i % 2 ? chatCycle : adhocCycle;
      while (performance.now() < deadline)
        await cycle(u, n++, () => {
          steps++;
        });
    }),
  );
  await sampler;
  rss.push((await ask(bot, 'stats')).rss);
  const mib = (b: number) => (b / 2 ** 20).toFixed(0);
  const third = Math.max(1, Math.floor(rss.length / 3));
  const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  console.log(
    `soak: ${CLIENTS} users, ${SOAK_SECONDS} s, ${steps} steps (${(steps / SOAK_SECONDS).toFixed(0)}/s); bot RSS ` +
      `${mib(rss[0] ?? 0)} MiB at the start, ${mib(rss.at(-1) ?? 0)} MiB at the end (min ${mib(Math.min(...rss))}, max ${mib(Math.max(...rss))}); ` +
      `first third ${mib(avg(rss.slice(0, third)))} MiB, last third ${mib(avg(rss.slice(-third)))} MiB`,
  );
  await Promise.all(users.map((x) => x.x.stop().catch(() => {})));
}

/** The bytes of each recorded answer, by step. */
function sizes(rec: Recording): string {
  const bytes = (s: string) => Buffer.byteLength(s);
  const adhoc = Object.entries(rec.adhoc).map(([k, v]) => `${k} ${bytes(v)}`);
  const chat = Object.entries(rec.chat).map(([k, v]) => `${k} ${bytes(v)}`);
  return `ad-hoc <command/> ${adhoc.join(', ')}; chat <body/> ${chat.join(', ')}`;
}

const ROLLOVER_ACCOUNTS = Number(process.env.BENCH_ROLLOVER_ACCOUNTS ?? (QUICK ? 10_000 : 100_000));

/**
 * Seeds ROLLOVER_ACCOUNTS accounts active last month (paying with enough, paying short, trials in each month,
 * mains with three leaves each) and times one rollover over them, sampling this process's RSS.
 */
async function rolloverBench(port: number): Promise<void> {
  const r = await connectRedis(`redis://127.0.0.1:${port}/1`, {
    info: () => {},
    warn: (m) => console.warn(m),
    error: (m) => console.error(m),
  });
  try {
    const catalogue = loadCatalogue(SAMPLE_PLANS_FILE);
    const usd = 'usd_monthly-v20261101';
    const month = '202702';
    const last = '202701';
    const seedStart = performance.now();
    for (let from = 0; from < ROLLOVER_ACCOUNTS; from += 5000) {
      const p = r.pipeline();
      for (let i = from; i < Math.min(from + 5000, ROLLOVER_ACCOUNTS); i++) {
        const jid = `user${i}@example.org`;
        p.sadd(keys.accounts, jid);
        const kind = i % 10;
        if (kind < 6 || kind === 9) {
          p.set(keys.planAsOf(last, jid), usd);
          p.set(keys.balancePrepaid(jid), '5000');
        } else if (kind === 6) {
          p.set(keys.planAsOf(last, jid), usd);
          p.set(keys.balancePrepaid(jid), '100'); // short
        } else p.set(keys.planAsOf(last, jid), kind === 7 ? catalogue.trial.first.id : catalogue.trial.second.id);
        // Every 40th account is a main paying for the next three (they are leaves on its list).
        if (i % 40 === 0 && i + 3 < ROLLOVER_ACCOUNTS) {
          const n = String(i);
          p.rpush(keys.leafJids(n), jid, `user${i + 1}@example.org`, `user${i + 2}@example.org`, `user${i + 3}@example.org`);
          p.set(keys.leafJidsIndex(jid), n);
          for (let k = 1; k <= 3; k++) p.set(keys.leafMain(`user${i + k}@example.org`), JSON.stringify({ main: jid, show: 'number' }));
        }
      }
      await p.exec();
    }
    const seeded = (performance.now() - seedStart) / 1000;
    const rss: number[] = [];
    const sampler = setInterval(() => rss.push(process.memoryUsage().rss), 250);
    const start = performance.now();
    const report = await runRollover(new RolloverStore(r), month, { catalogue, tellCharges: false });
    const elapsed = (performance.now() - start) / 1000;
    clearInterval(sampler);
    const mib = (b: number) => (b / 2 ** 20).toFixed(0);
    console.log(
      `rollover: ${report.accounts.toLocaleString('en')} accounts (seeded in ${seeded.toFixed(1)} s) in ${elapsed.toFixed(1)} s ` +
        `= ${(report.accounts / elapsed).toFixed(0)} accounts/s (target ≤ 120 s for 100,000); ` +
        `bench RSS ${mib(Math.min(...rss))}–${mib(Math.max(...rss))} MiB while it ran; ${JSON.stringify(report.outcomes)}`,
    );
  } finally {
    await r.flushdb();
    r.disconnect();
  }
}

/**
 * The bot as it runs in production (compiled as `npm start` does), not through tsx: tsx's transform names every
 * function it creates (esbuild's keepNames), a cost on the hot path that production never pays. The stand-ins
 * are compiled alike. Beside dist/ (ignored by git), where node_modules and samples/ resolve as they do for it.
 */
async function compiled(): Promise<string> {
  const bin = join(fileURLToPath(new URL('..', import.meta.url)), `.bench-build-${process.pid}`);
  await buildTo({ 'bot-process': 'bench/bot-process.ts', 'stand-in': 'bench/stand-in.ts' }, bin);
  return bin;
}

async function main(bin: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bot-bench-'));
  const redis = await startRedis(join(dir, 'redis'));
  const secret = 'bench-secret';
  const prosody = await startProsody({
    dir: join(dir, 'prosody'),
    components: [
      { jid: BOT, secret },
      { jid: STARTUP_BOT, secret },
      { jid: NULL, secret },
      { jid: REPLAY, secret },
    ],
    users: [],
    // Without it Prosody holds some answers 40 ms for a delayed ACK, and the fast stand-ins measure that.
    nagle: false,
  });
  const r = await connectRedis(`redis://127.0.0.1:${redis.port}/0`, {
    info: () => {},
    warn: (m) => console.warn(m),
    error: (m) => console.error(m),
  });
  const rows = Array.from({ length: 2000 }, (_, i) => ({
    tel: `+1416555${String(1000 + i).padStart(4, '0')}`,
    rateCentre: 'Toronto',
    region: 'ON',
  }));
  await new NumberStore(r).import(rows);
  r.disconnect();
  const child = fork(join(bin, 'bot-process.js'), [], {
    execArgv: process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [],
    env: {
      ...process.env,
      BOT_JID: BOT,
      XMPP_SERVICE: `xmpp://127.0.0.1:${prosody.componentPort}`,
      XMPP_SECRET: secret,
      REDIS_URL: `redis://127.0.0.1:${redis.port}/0`,
      BILLING_SCHEDULER: '0',
    },
  });
  await new Promise((res) => child.once('message', res));
  try {
    if (SOAK) {
      await soak(prosody.c2sPort, child);
      return;
    }
    // 1. Round trips per step, one step at a time.
    const u = await login(prosody.c2sPort);
    console.log('Redis round trips per step, as the user waits for them (one user, one step at a time; target ≤ 2):');
    const steps: [string, () => Promise<unknown>][] = [];
    let sid = '';
    let tel = '';
    steps.push([
      'ad-hoc start (number list)',
      async () => {
        const c = (await u.iq(REGISTER, { action: 'execute' })).getChild('command', NS)!;
        sid = c.attrs.sessionid as string;
        tel = c.getChild('x', 'jabber:x:data')!.getChildren('field')[0]!.getChildren('option')[0]!.getChildText('value')!;
      },
    ]);
    steps.push(['ad-hoc choose → confirm', () => u.iq(REGISTER, { action: 'next', sessionid: sid }, { tel })]);
    steps.push(['ad-hoc confirm (reserve) → options', () => u.iq(REGISTER, { action: 'next', sessionid: sid }, { confirm: 'true' })]);
    steps.push(['ad-hoc prev', () => u.iq(REGISTER, { action: 'prev', sessionid: sid })]);
    steps.push(['ad-hoc cancel (release)', () => u.iq(REGISTER, { action: 'cancel', sessionid: sid })]);
    steps.push(['chat first message (number list)', () => u.say('hi')]);
    steps.push(['chat letter → confirm', () => u.say('a')]);
    steps.push(['chat y (reserve) → options', () => u.say('y')]);
    steps.push(['chat a (request approval)', () => u.say('a')]);
    steps.push(['chat message while pending', () => u.say('hello?')]);
    for (const [name, run] of steps) {
      await ask(child, 'reset');
      await run();
      await new Promise((res) => setTimeout(res, 20)); // let queued session writes finish
      const s = await ask(child, 'stats');
      console.log(`  ${name.padEnd(36)} ${s.roundTrips} before the reply, the session write included (${s.calls} Redis calls)`);
    }
    await u.x.stop();

    // 2. Start-up: spawn → ready (component online, Redis ready), the compiled code and the TypeScript one.
    await buildDist();
    const startEnv = {
      PATH: process.env.PATH ?? '',
      BOT_JID: STARTUP_BOT,
      XMPP_SERVICE: `xmpp://127.0.0.1:${prosody.componentPort}`,
      XMPP_SECRET: secret,
      REDIS_URL: `redis://127.0.0.1:${redis.port}/0`,
    };
    console.log(`Start-up, spawn → "ready" (component online, Redis ready), median of ${STARTS} (target ≤ 500 ms compiled):`);
    for (const [name, cmd, args] of [
      ['node dist/main.js (compiled)', process.execPath, ['dist/main.js']],
      ['node scripts/start.mjs (npm start without npm)', process.execPath, ['scripts/start.mjs']],
      ['npm start', 'npm', ['start', '--silent']],
      ['tsx src/main.ts (development)', 'node_modules/.bin/tsx', ['src/main.ts']],
    ] as const) {
      const times: number[] = [];
      for (let i = 0; i < STARTS; i++) times.push(await timeStart(cmd, [...args], startEnv));
      console.log(
        `  ${name.padEnd(48)} ${pct(times, 50).toFixed(0)} ms (min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)})`,
      );
    }

    // 3. Throughput: the bot, the replaying stand-in and the do-nothing one, interleaved, on the same Prosody.
    const counter = await connectRedis(`redis://127.0.0.1:${redis.port}/0`, { info: () => {}, warn: () => {}, error: () => {} });
    const recording = await record(prosody.c2sPort, counter);
    const replayFile = join(dir, 'replay.json');
    writeFileSync(replayFile, JSON.stringify(recording));
    await redisCallCost(counter);
    const standInEnv = { XMPP_SERVICE: `xmpp://127.0.0.1:${prosody.componentPort}`, XMPP_SECRET: secret, REPLAY_FILE: replayFile };
    const nothing = await standIn(bin, 'null', NULL, standInEnv);
    const replay = await standIn(bin, 'replay', REPLAY, standInEnv);
    try {
      const mb = (b: number) => ((b * 100_000) / 1e6).toFixed(0);
      console.log(
        `An open session in Redis (at the options step): ad-hoc ${sessionBytes.adhoc} B, chat ${sessionBytes.chat} B; ` +
          `100,000 of them ≈ ${mb(sessionBytes.adhoc)} MB / ${mb(sessionBytes.chat)} MB (target ≤ 50 MB)`,
      );
      console.log(`Bytes per answer (what Prosody carries for each step): ${sizes(recording)}`);
      console.log(`Throughput, ${SECONDS} s a run, closed loop (each user sends its next step on the answer), the three interleaved:`);
      for (const clients of [CLIENTS, 1]) {
        for (const [label, cycle] of [
          ['ad-hoc', adhocCycle],
          ['chat', chatCycle],
        ] as const) {
          const none = await throughput(prosody.c2sPort, NULL, clients, cycle, nothing);
          const same = await throughput(prosody.c2sPort, REPLAY, clients, cycle, replay);
          const bot = await throughput(prosody.c2sPort, BOT, clients, cycle, child, counter);
          const row = (name: string, x: Run) =>
            `  ${`${label}, ${clients} ${clients === 1 ? 'user' : 'users'}, ${name}`.padEnd(34)} ${x.stepsPerSecond.toFixed(0).padStart(6)} steps/s` +
            `  p50 ${x.p50.toFixed(2)} ms  p99 ${x.p99.toFixed(2)} ms  CPU ${x.cpuMicros.toFixed(0)} µs/step` +
            (x.redisPerStep !== undefined ? `  ${x.redisPerStep.toFixed(1)} Redis commands/step (Lua's included: ${x.redisTop})` : '');
          console.log(row('do-nothing', none));
          console.log(row('replaying the bot', same));
          console.log(row('the bot', bot));
          console.log(
            `  ${''.padEnd(34)} bot = ${(bot.stepsPerSecond / same.stepsPerSecond).toFixed(2)} of replaying ` +
              `(target ≥ ${clients === 1 ? '0.70' : '0.85'}), ${(bot.stepsPerSecond / none.stepsPerSecond).toFixed(2)} of do-nothing; ` +
              `p99 +${(bot.p99 - same.p99).toFixed(2)} ms over replaying${clients === 1 ? '' : ' (target ≤ +2 ms)'}`,
          );
        }
      }
    } finally {
      counter.disconnect();
      for (const p of [nothing, replay]) {
        const gone = new Promise((res) => p.once('exit', res));
        p.send('stop');
        await Promise.race([gone, new Promise((res) => setTimeout(res, 2000))]);
        p.kill();
      }
    }
    // 4. The monthly rollover over 100,000 accounts (its own database), in this process.
    await rolloverBench(redis.port);
  } finally {
    // The bot process stops on 'stop' and says nothing: wait for it to exit (a few seconds at most).
    const exited = new Promise((res) => child.once('exit', res));
    child.send('stop');
    await Promise.race([exited, new Promise((res) => setTimeout(res, 3000))]);
    child.kill();
    await prosody.stop();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const bin = await compiled();
try {
  await main(bin);
} finally {
  rmSync(bin, { recursive: true, force: true });
}
process.exit(0);
