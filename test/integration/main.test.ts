// `npm start` as an operator runs it: a real process, configured by environment.
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { freePort } from '../../src/dev/servers.js';
import { bed, botProcess, command, type Bed } from './bot-fixture.js';

let b: Bed;
beforeAll(async () => {
  b = await bed();
});
afterAll(async () => b?.close());

function run(env: Record<string, string>, until?: RegExp): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    // What `npm start` runs: the compiled bot, built first if dist/ is missing or stale.
    const child = spawn(process.execPath, ['scripts/start.mjs'], { env: { PATH: process.env.PATH ?? '', ...env } });
    let out = '';
    const timer = setTimeout(() => child.kill('SIGTERM'), 15_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      if (until?.test(out)) child.kill('SIGTERM');
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

const goodEnv = () => ({
  BOT_JID: b.botJid,
  XMPP_SERVICE: `xmpp://127.0.0.1:${inject('componentPort')}`,
  XMPP_SECRET: inject('componentSecret'),
  REDIS_URL: b.config().redis as string,
});

/** The compiled bot (what `npm start` runs) as a real process. */
const spawnBot = (env: Record<string, string>) => botProcess(process.execPath, ['dist/main.js'], env);

describe('npm start', () => {
  it('builds dist/ when it is missing, then runs the compiled bot, which comes online', async () => {
    rmSync('dist', { recursive: true, force: true });
    const { out } = await run(goodEnv(), /ready as /);
    expect(out).toMatch(/jmp-account-bot ready as /);
    expect(existsSync('dist/main.js')).toBe(true);
    expect(existsSync('dist/lua/take-session.lua')).toBe(true);
  });

  it('a missing setting stops it with one clear line', async () => {
    const { code, out } = await run({ ...goodEnv(), XMPP_SECRET: '' });
    expect(code).toBe(78);
    expect(out.trim()).toBe(
      'jmp-account-bot: XMPP_SECRET is not set (example: XMPP_SECRET=the component_secret in your XMPP server config)',
    );
  });

  it('a malformed setting is named', async () => {
    const { code, out } = await run({ ...goodEnv(), SESSION_TTL_SECONDS: 'soon' });
    expect(code).toBe(78);
    expect(out).toMatch(/SESSION_TTL_SECONDS must be a whole number/);
  });

  it('a wrong secret stops it with one clear line instead of retrying forever', async () => {
    const { code, out } = await run({ ...goodEnv(), XMPP_SECRET: 'wrong' });
    expect(code).toBe(78);
    expect(out).toMatch(/refused the component .*check BOT_JID and XMPP_SECRET/);
  });

  it('with good settings it comes up, answers commands and /healthz, and stops cleanly on SIGTERM', async () => {
    const u = await b.user();
    const port = await freePort();
    const env = { ...goodEnv(), HTTP_PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` };
    // What `npm start` runs: the compiled bot, built first if dist/ is missing or stale.
    const child = spawn(process.execPath, ['scripts/start.mjs'], { env: { PATH: process.env.PATH ?? '', ...env } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    for (let i = 0; i < 100 && !/ready as/.test(out); i++) await new Promise((r) => setTimeout(r, 100));
    expect(out).toMatch(new RegExp(`ready as ${b.botJid}`));
    const reply = await command(u, b.botJid, 'jabber:iq:register');
    expect(reply.status).toBe('executing');
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true, xmpp: 'online', redis: 'ok' });
    const exited = new Promise<number | null>((r) => child.on('exit', r));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('SIGTERM in the middle of a step: the step is stored and answered, and the process is gone within 2 s', async () => {
    const u = await b.user();
    const bot = spawnBot(goodEnv());
    await bot.waitFor(/ready as/);
    const first = await command(u, b.botJid, 'jabber:iq:register');
    const tel = first.options('tel')[2]!;
    // Redis holds every client's commands for 600 ms: the step below is under way when the signal comes.
    await b.redis.client('PAUSE', 600, 'ALL');
    const step = command(u, b.botJid, 'jabber:iq:register', { sessionid: first.sessionid!, values: { tel } });
    await new Promise((r) => setTimeout(r, 100));
    const signalled = Date.now();
    process.kill(-bot.child.pid!, 'SIGTERM');
    const confirm = await step;
    expect(confirm.form?.getChildText('title')).toBe('Confirm your number');
    expect(await bot.exited).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(2000);
    // What the person was shown is what Redis holds: the confirm step, with no step lock left behind.
    // (A session keeps its step by id, `s`, and its answers; the words are the step's view.)
    const stored = JSON.parse((await b.redis.get(`bot-session-${first.sessionid}`))!) as { s: string };
    expect(stored.s).toBe('confirm');
    expect(JSON.stringify(stored)).toContain(tel);
    expect(await b.redis.exists(`bot-session_lock-adhoc-${first.sessionid}`)).toBe(0);
  });

  it('a second process stands by, takes over within 5 s of the first being killed, and the person’s signup goes on', async () => {
    const u = await b.user();
    const active = spawnBot(goodEnv());
    await active.waitFor(/ready as/);
    const standby = spawnBot(goodEnv());
    try {
      await standby.waitFor(/standing by/);
      const standingSince = Date.now();
      expect(standby.out()).not.toMatch(/ready as/);
      const first = await command(u, b.botJid, 'jabber:iq:register');
      const tel = first.options('tel')[0]!;
      const confirm = await command(u, b.botJid, 'jabber:iq:register', { sessionid: first.sessionid!, values: { tel } });
      expect(confirm.form?.getChildText('title')).toBe('Confirm your number');
      // Its tries back off (1, 2, 4, then 8 s): killed just after the third, the next would come 8 s later,
      // so a takeover within 5 s is the lease's doing.
      await new Promise((r) => setTimeout(r, 7600 - (Date.now() - standingSince)));
      process.kill(-active.child.pid!, 'SIGKILL');
      const killed = Date.now();
      await standby.waitFor(/took over/, 5000);
      const tookOver = Date.now() - killed;
      expect(tookOver).toBeLessThan(5000);
      const options = await command(u, b.botJid, 'jabber:iq:register', { sessionid: first.sessionid!, values: { confirm: 'true' } });
      expect(options.status).toBe('executing');
      expect(options.options('activation_method')).toEqual(['trial']);
    } finally {
      process.kill(-standby.child.pid!, 'SIGTERM');
      await standby.exited;
    }
  });

  it('with BOT_STANDBY=0 a second process stops with one line instead of waiting', async () => {
    const active = spawnBot(goodEnv());
    try {
      await active.waitFor(/ready as/);
      const second = spawnBot({ ...goodEnv(), BOT_STANDBY: '0' });
      expect(await second.exited).toBe(78);
      expect(second.out()).toMatch(/refused the component .*conflict/);
    } finally {
      process.kill(-active.child.pid!, 'SIGTERM');
      await active.exited;
    }
  });

  it('killed (SIGKILL) right after answering, the next process goes on from the step the person was shown', async () => {
    const u = await b.user();
    // The new process may find Prosody still holding the killed one's connection: it stands by, then takes over.
    const start = async () => {
      const bot = spawnBot(goodEnv());
      await bot.waitFor(/ready as|took over/);
      return bot;
    };
    let bot = await start();
    const first = await command(u, b.botJid, 'jabber:iq:register');
    const tel = first.options('tel')[1]!;
    const confirm = await command(u, b.botJid, 'jabber:iq:register', { sessionid: first.sessionid!, values: { tel } });
    // The person now sees the confirm step; the process dies at once, with no time to finish anything.
    process.kill(-bot.child.pid!, 'SIGKILL');
    expect(confirm.form?.getChildText('title')).toBe('Confirm your number');
    await bot.exited;
    bot = await start();
    try {
      const options = await command(u, b.botJid, 'jabber:iq:register', { sessionid: first.sessionid!, values: { confirm: 'true' } });
      expect(options.status).toBe('executing');
      expect(options.options('activation_method')).toEqual(['trial']);
    } finally {
      process.kill(-bot.child.pid!, 'SIGTERM');
      await bot.exited;
    }
  });
});
