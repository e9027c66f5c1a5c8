// `npm start` as an operator runs it: a real process, configured by environment.
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { freePort } from '../../src/dev/servers.js';
import { bed, command, type Bed } from './bot-fixture.js';

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
  REDIS_URL: b.config().redisUrl,
});

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
    expect(code).toBe(1);
    expect(out.trim()).toBe(
      'jmp-account-bot: XMPP_SECRET is not set (example: XMPP_SECRET=the component_secret in your XMPP server config)',
    );
  });

  it('a malformed setting is named', async () => {
    const { code, out } = await run({ ...goodEnv(), SESSION_TTL_SECONDS: 'soon' });
    expect(code).toBe(1);
    expect(out).toMatch(/SESSION_TTL_SECONDS must be a whole number/);
  });

  it('a wrong secret stops it with one clear line instead of retrying forever', async () => {
    const { code, out } = await run({ ...goodEnv(), XMPP_SECRET: 'wrong' });
    expect(code).toBe(1);
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

  it('killed (SIGKILL) right after answering, the next process goes on from the step the person was shown', async () => {
    const u = await b.user();
    const start = async () => {
      // Prosody may not have seen the killed process's connection close yet ("Component already connected").
      for (let attempt = 0; ; attempt++) {
        // A group of its own: tsx runs the bot in a child process, and the kill must reach it.
        const child = spawn('node_modules/.bin/tsx', ['src/main.ts'], {
          env: { PATH: process.env.PATH ?? '', ...goodEnv() },
          detached: true,
        });
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (out += d.toString()));
        for (let i = 0; i < 100 && !/ready as|already connected/.test(out); i++) await new Promise((r) => setTimeout(r, 100));
        if (/ready as/.test(out)) return child;
        if (attempt >= 10) throw new Error(`the bot did not come back: ${out}`);
        await new Promise((r) => setTimeout(r, 300));
      }
    };
    let bot = await start();
    const first = await command(u, b.botJid, 'jabber:iq:register');
    const tel = first.options('tel')[1]!;
    const confirm = await command(u, b.botJid, 'jabber:iq:register', { sessionid: first.sessionid!, values: { tel } });
    // The person now sees the confirm step; the process dies at once, with no time to finish anything.
    process.kill(-bot.pid!, 'SIGKILL');
    expect(confirm.form?.getChildText('title')).toBe('Confirm your number');
    await new Promise<void>((r) => bot.on('exit', () => r()));
    bot = await start();
    try {
      const options = await command(u, b.botJid, 'jabber:iq:register', { sessionid: first.sessionid!, values: { confirm: 'true' } });
      expect(options.status).toBe('executing');
      expect(options.options('activation_method')).toEqual(['trial']);
    } finally {
      const exited = new Promise((r) => bot.on('exit', r));
      process.kill(-bot.pid!, 'SIGTERM');
      await exited;
    }
  });
});
