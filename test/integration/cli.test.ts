// The operator CLI (bin/cli.ts), run as a real child process against the test bed's Redis.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { freePort } from '../../src/dev/servers.js';
import { allocateSlot, redisUrlFor } from '../harness/slot.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
// What `npx tsx` resolves to, without npx's start-up cost and its npm warnings on stderr.
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout split into lines, without the final empty one. */
  lines: string[];
}

function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      TSX,
      ['bin/cli.ts', ...args],
      { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', ...env }, timeout: 15_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        resolve({ code, stdout, stderr, lines: stdout.split('\n').filter((l, i, a) => !(l === '' && i === a.length - 1)) });
      },
    );
  });
}

let dir: string;
let redisUrl: string;
let redis: Redis;
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

beforeAll(async () => {
  const slot = await allocateSlot();
  redisUrl = redisUrlFor(slot);
  redis = new Redis(redisUrl);
  dir = mkdtempSync(join(tmpdir(), 'jmp-cli-test-'));
});

afterAll(() => {
  redis?.disconnect();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  await redis.flushdb();
});

const MIXED = [
  'tel,rate_centre,region', // 1
  '+14165550100,Toronto,ON', // 2
  '+14165550101,Toronto,ON', // 3
  '', // 4 blank: skipped silently
  '4165550102,Toronto,ON', // 5 bad number
  '+15145550100,Montréal', // 6 missing field
  '+14165550100,Toronto,ON', // 7 duplicate of 2
  '+14505550100,"Saint-Jean-sur-Richelieu, East",QC', // 8 quoted comma
  '+16045550100,,BC', // 9 empty field
  '',
].join('\r\n');

describe('numbers import', () => {
  it('imports the good rows, reports each bad line, and lists them', async () => {
    const csv = file('mixed.csv', MIXED);
    const r = await cli(['numbers', 'import', csv], { REDIS_URL: redisUrl });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.lines).toEqual([
      'line 5: tel "4165550102" is not an E.164 number like +14165550100',
      'line 6: region missing (expected tel,rate_centre,region)',
      'line 7: +14165550100 is a duplicate of line 2',
      'line 9: rate_centre is empty',
      'imported 3 numbers, skipped 4 lines',
    ]);

    expect(await redis.zrange('bot-numbers_available', '0', '-1')).toEqual(['+14165550100', '+14165550101', '+14505550100']);
    const info = await redis.hgetall('bot-numbers_info');
    expect(Object.keys(info).sort()).toEqual(['+14165550100', '+14165550101', '+14505550100']);
    expect(JSON.parse(info['+14505550100']!)).toMatchObject({ rateCentre: 'Saint-Jean-sur-Richelieu, East', region: 'QC' });
    expect(await redis.zrange('bot-numbers_by_place', '0', '-1')).toEqual([
      'saint-jean-sur-richelieu, east, qc|+14505550100',
      'toronto, on|+14165550100',
      'toronto, on|+14165550101',
    ]);

    await redis.set('bot-reservation-+14165550101', 'some-session', 'EX', 60);
    const l = await cli(['numbers', 'list'], { REDIS_URL: redisUrl });
    expect(l.stderr).toBe('');
    expect(l.code).toBe(0);
    expect(l.lines).toEqual([
      '+14165550100  Toronto, ON',
      '+14165550101  Toronto, ON  [held]',
      '+14505550100  Saint-Jean-sur-Richelieu, East, QC',
      '3 numbers available (1 held)',
    ]);
  });

  it('skips numbers already assigned to an account, and re-importing is harmless', async () => {
    await redis.set('catapult_jid-+14165550101', 'someone@example.org');
    const csv = file('assigned.csv', 'tel,rate_centre,region\n+14165550100,Toronto,ON\n+14165550101,Toronto,ON\n');
    const r = await cli(['numbers', 'import', csv], { REDIS_URL: redisUrl });
    expect(r.code).toBe(0);
    expect(r.lines).toEqual(['line 3: +14165550101 is already assigned to an account; skipped', 'imported 1 number, skipped 1 line']);
    expect(await redis.zrange('bot-numbers_available', '0', '-1')).toEqual(['+14165550100']);

    const again = await cli(['numbers', 'import', csv], { REDIS_URL: redisUrl });
    expect(again.code).toBe(0);
    expect(await redis.zcard('bot-numbers_available')).toBe(1);
    expect(await redis.zcard('bot-numbers_by_place')).toBe(1);
  });

  it('refuses a wrong header: exit 1, nothing imported', async () => {
    const csv = file('header.csv', 'number,rate_centre,region\n+14165550100,Toronto,ON\n');
    const r = await cli(['numbers', 'import', csv], { REDIS_URL: redisUrl });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([
      'line 1: the header must be "tel,rate_centre,region", found "number,rate_centre,region"',
      `${csv}: nothing imported`,
    ]);
    expect(await redis.exists('bot-numbers_available', 'bot-numbers_info', 'bot-numbers_by_place')).toBe(0);
  });

  it('exits 1 when every row is bad, 0 for a header-only file', async () => {
    const bad = await cli(['numbers', 'import', file('bad.csv', 'tel,rate_centre,region\nx,Toronto,ON\n')], { REDIS_URL: redisUrl });
    expect(bad.code).toBe(1);
    expect(bad.lines).toEqual(['line 2: tel "x" is not an E.164 number like +14165550100', 'imported 0 numbers, skipped 1 line']);
    const empty = await cli(['numbers', 'import', file('empty.csv', 'tel,rate_centre,region\n')], { REDIS_URL: redisUrl });
    expect(empty.code).toBe(0);
    expect(empty.lines).toEqual(['imported 0 numbers, skipped 0 lines']);
    expect(await redis.exists('bot-numbers_available')).toBe(0);
  });

  it('exits 1 with one line for a missing file', async () => {
    const r = await cli(['numbers', 'import', join(dir, 'nope.csv')], { REDIS_URL: redisUrl });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`cannot read ${join(dir, 'nope.csv')}: no such file\n`);
  });
});

describe('usage and failures', () => {
  it('exits 2 with a usage line on bad arguments', async () => {
    const cases = [
      [],
      ['numbers'],
      ['numbers', 'import'],
      ['numbers', 'import', 'a.csv', 'b.csv'],
      ['numbers', 'frobnicate'],
      ['accounts', 'list'],
    ];
    const runs = await Promise.all(cases.map((args) => cli(args, { REDIS_URL: redisUrl })));
    for (const [i, r] of runs.entries()) {
      const args = cases[i]!;
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(/^usage: npm run cli -- numbers import FILE\.csv \| numbers list/);
    }
  });

  it('says clearly when Redis cannot be reached, and exits 1', async () => {
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}/0`;
    const csv = file('ok.csv', 'tel,rate_centre,region\n+14165550100,Toronto,ON\n');
    for (const args of [
      ['numbers', 'list'],
      ['numbers', 'import', csv],
    ]) {
      const r = await cli(args, { REDIS_URL: url });
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(
        `cannot reach Redis at ${url} (connect ECONNREFUSED 127.0.0.1:${port}): is redis-server running, and is REDIS_URL right?\n`,
      );
    }
  });

  it('lists an empty inventory', async () => {
    const r = await cli(['numbers', 'list'], { REDIS_URL: redisUrl });
    expect(r.code).toBe(0);
    expect(r.lines).toEqual(['no numbers available']);
  });
});

describe('usage record', () => {
  it('counts usage as a gateway does, day by day, and the bot reads it back', async () => {
    let r = await cli(['usage', 'record', '+14165550100', 'messages_in', '3', '--day', '20261130'], { REDIS_URL: redisUrl });
    expect(r.code, r.stderr).toBe(0);
    expect(r.lines).toEqual(['+14165550100 2026-11-30: messages_in 3']);
    r = await cli(['usage', 'record', '416-555-0100', 'messages_in', '2', '--day', '2026-11-30'], { REDIS_URL: redisUrl });
    expect(r.lines).toEqual(['+14165550100 2026-11-30: messages_in 5']);
    expect(await redis.hgetall('usage_day-+14165550100-20261130')).toEqual({ messages_in: '5' });
    const today = new Date().toISOString().slice(0, 10);
    r = await cli(['usage', 'record', '+14165550100', 'minutes_out', '7'], { REDIS_URL: redisUrl });
    expect(r.lines).toEqual([`+14165550100 ${today}: minutes_out 7`]);
  });

  it('refuses what a gateway would not write: exit 2, nothing written', async () => {
    for (const [args, said] of [
      [['usage', 'record', 'soon', 'messages_in', '1'], /is not a phone number/],
      [['usage', 'record', '+14165550100', 'texts', '1'], /^KIND is one of messages_in, messages_out, minutes_in, minutes_out/],
      [['usage', 'record', '+14165550100', 'messages_in', '-1'], /^COUNT is a whole number/],
      [['usage', 'record', '+14165550100', 'messages_in', '1', '--day', '20261332'], /^--day takes YYYYMMDD/],
    ] as const) {
      const r = await cli([...args], { REDIS_URL: redisUrl });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(said);
    }
    expect(await redis.keys('usage_day-*')).toEqual([]);
  });
});
