// Redis going away: users hear "temporarily unavailable" (not silence), nothing crashes, and it recovers.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startBot } from '../../src/bot.js';
import { NumberStore } from '../../src/store/numbers.js';
import type { TestUser } from '../harness/client.js';
import { startRedis } from '../../src/dev/servers.js';
import { bed, chat, command, quietLog, SAMPLE, type Bed } from './bot-fixture.js';

const REGISTER = 'jabber:iq:register';
let b: Bed;

beforeAll(async () => {
  b = await bed();
});
afterAll(async () => b?.close());

const say = (u: TestUser, text: string) => chat(u, b.botJid, text);

it('while Redis is down users hear "temporarily unavailable" in both UIs, and it works again after', async () => {
  // A Redis of its own, so stopping it disturbs no other test file.
  const dir = mkdtempSync(join(tmpdir(), 'bot-redis-down-'));
  let redis = await startRedis(dir);
  const url = `redis://127.0.0.1:${redis.port}/0`;
  const own = new Redis(url);
  await new NumberStore(own).import(SAMPLE);
  own.disconnect();
  const bot = await startBot(b.config({ REDIS_URL: url, BOT_JID: b.botJid }), { log: quietLog });
  try {
    const u = await b.user();
    expect((await command(u, b.botJid, REGISTER)).status).toBe('executing');
    await redis.stop();
    const iq = await command(u, b.botJid, REGISTER);
    expect(iq.error?.stanza).toBe('service-unavailable');
    expect(iq.stanza.toString()).toMatch(/temporarily unavailable/);
    expect(await say(u, 'hi')).toMatch(/temporarily unavailable/);
    redis = await startRedis(dir, redis.port);
    const again = new Redis(url);
    await new NumberStore(again).import(SAMPLE); // this Redis keeps nothing on disk
    again.disconnect();
    // The bot reconnects by itself (backoff up to 5 s); poll rather than guess a delay.
    let after = await command(u, b.botJid, REGISTER);
    for (let i = 0; i < 40 && after.error; i++) {
      await new Promise((r) => setTimeout(r, 250));
      after = await command(u, b.botJid, REGISTER);
    }
    expect(after.notes, after.stanza.toString()).toEqual([]);
    expect(after.status).toBe('executing');
  } finally {
    await bot.stop();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

it('a Redis that refuses writes (out of memory, a read-only replica) is "temporarily unavailable" in both UIs, logged with its cause', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bot-redis-refuses-'));
  const redis = await startRedis(dir);
  const url = `redis://127.0.0.1:${redis.port}/0`;
  const admin = new Redis(url);
  await new NumberStore(admin).import(SAMPLE);
  const warnings: string[] = [];
  const bot = await startBot(b.config({ REDIS_URL: url, BOT_JID: b.botJid }), {
    log: { info: () => {}, warn: (m) => warnings.push(m), error: (m) => warnings.push(m) },
  });
  try {
    const u = await b.user();
    const first = await command(u, b.botJid, REGISTER);
    expect(first.status).toBe('executing');
    // Out of memory with noeviction: every write is refused with "OOM command not allowed".
    await admin.config('SET', 'maxmemory-policy', 'noeviction');
    await admin.config('SET', 'maxmemory', '1');
    const iq = await command(u, b.botJid, REGISTER, { sessionid: first.sessionid!, values: { tel: first.options('tel')[0]! } });
    expect(iq.error?.stanza).toBe('service-unavailable');
    expect(iq.stanza.toString()).toMatch(/temporarily unavailable/);
    expect(await say(u, 'hi')).toMatch(/temporarily unavailable/);
    // A new command's first stage is only a session write (a MULTI, refused as EXECABORT): the same answer.
    const fresh = await command(await b.user(), b.botJid, REGISTER);
    expect(fresh.error?.stanza).toBe('service-unavailable');
    expect(warnings.some((w) => /OOM command not allowed/.test(w))).toBe(true);
    await admin.config('SET', 'maxmemory', '0');
    // A replica: READONLY.
    await admin.replicaof('127.0.0.1', '1');
    expect(await say(u, 'hello')).toMatch(/temporarily unavailable/);
    expect(warnings.some((w) => /READONLY/.test(w))).toBe(true);
    await admin.replicaof('NO', 'ONE');
  } finally {
    admin.disconnect();
    await bot.stop();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
