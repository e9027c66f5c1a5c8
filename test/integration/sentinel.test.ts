// Redis behind Sentinel (Debian's redis-sentinel): a primary, two replicas and one sentinel on loopback. The primary
// dies in the middle of a signup and the Sentinel fails over. Meanwhile people hear "temporarily unavailable";
// after it, the flow goes on against the new primary, with nothing half-written and nothing shown that was lost
// (REDIS_WAIT_REPLICAS=1: a step is shown once a replica has it).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findBinary, type RunningRedis, startRedis, startSentinel } from '../../src/dev/servers.js';
import { keys } from '../../src/store/keys.js';
import { NumberStore } from '../../src/store/numbers.js';
import { type Bed, bed, chat, command, type CommandReply, SAMPLE } from './bot-fixture.js';

const NAME = 'jmp';
const REGISTER = 'jabber:iq:register';
const have = findBinary('redis-sentinel') !== undefined;

let dir: string;
let b: Bed;
let primary: RunningRedis;
let replica: RunningRedis;
let second: RunningRedis;
let sentinel: RunningRedis;
let watcher: Redis;

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  for (const end = Date.now() + ms; ; ) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const primaryPort = async () => Number(((await watcher.call('SENTINEL', 'get-master-addr-by-name', NAME)) as string[])[1]);

beforeAll(async () => {
  if (!have) return;
  dir = mkdtempSync(join(tmpdir(), 'jmp-sentinel-'));
  primary = await startRedis(join(dir, 'primary'));
  // Two replicas: with REDIS_WAIT_REPLICAS=1 the promoted one needs a replica of its own at once (the old primary
  // is turned into one only seconds later).
  const follow = ['--replicaof', '127.0.0.1', String(primary.port)];
  // The one a failover promotes first.
  replica = await startRedis(join(dir, 'replica'), undefined, [...follow, '--replica-priority', '10']);
  second = await startRedis(join(dir, 'second'), undefined, [...follow, '--replica-priority', '100']);
  for (const port of [replica.port, second.port]) {
    const r = new Redis(port, '127.0.0.1');
    await until('the replicas in sync', async () => ((await r.info('replication')).includes('master_link_status:up') ? true : undefined));
    r.disconnect();
  }
  sentinel = await startSentinel(join(dir, 'sentinel'), NAME, primary.port);
  watcher = new Redis(sentinel.port, '127.0.0.1');
  await until('the sentinel to know the replica', async () =>
    ((await watcher.call('SENTINEL', 'replicas', NAME)) as unknown[]).length === 2 ? true : undefined,
  );
  const p = new Redis(primary.port, '127.0.0.1');
  await new NumberStore(p).import(SAMPLE);
  p.disconnect();
  b = await bed();
  await b.start({
    REDIS_URL: '',
    REDIS_SENTINELS: `127.0.0.1:${sentinel.port}`,
    REDIS_SENTINEL_NAME: NAME,
    // A step is shown only once the replica has it: the replica is what a failover promotes.
    REDIS_WAIT_REPLICAS: '1',
  });
}, 60_000);

afterAll(async () => {
  await b?.close();
  watcher?.disconnect();
  await Promise.all([sentinel?.stop(), replica?.stop(), second?.stop(), primary?.stop()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!have)('Redis Sentinel', () => {
  it('the primary dies mid-signup: "temporarily unavailable" meanwhile, then the flow goes on on the new primary', async () => {
    const u = await b.user();
    const first = await command(u, b.botJid, REGISTER);
    const sessionid = first.sessionid!;
    const tel = first.options('tel')[0]!;
    const confirm = await command(u, b.botJid, REGISTER, { sessionid, values: { tel } });
    expect(confirm.form?.getChildText('title')).toBe('Confirm your number');
    expect(await primaryPort()).toBe(primary.port);

    await primary.stop();
    // The person presses confirm until it goes through, as they would on "try again shortly".
    const replies: CommandReply[] = [];
    const options = await until(
      'the step to go through after the failover',
      async () => {
        const r = await command(u, b.botJid, REGISTER, { sessionid, values: { confirm: 'true' } });
        replies.push(r);
        return r.status === 'executing' ? r : undefined;
      },
      30_000,
    );
    expect(await primaryPort()).toBe(replica.port);
    console.log(`sentinel failover: ${replies.length - 1} answers "temporarily unavailable", then the step went through`);
    // Every answer was the next step or "temporarily unavailable": never a lost session or a half-done hold.
    for (const r of replies.slice(0, -1)) expect(r.error?.stanza).toBe('service-unavailable');
    expect(options.options('activation_method')).toEqual(['trial']);

    // The hold is whole on the new primary: the number held for this session, the session at the options step.
    const now = new Redis(replica.port, '127.0.0.1');
    try {
      expect(await now.get(keys.reservation(tel))).toBe(sessionid);
      expect(await now.exists(keys.session(sessionid))).toBe(1);
      const trial = await command(u, b.botJid, REGISTER, { sessionid, action: 'complete', values: { activation_method: 'trial' } });
      expect(trial.status).toBe('completed');
      expect(await now.exists(keys.pending(u.bare))).toBe(1);
    } finally {
      now.disconnect();
    }
  }, 60_000);
});

describe('REDIS_WAIT_REPLICAS', () => {
  it('when no replica confirms a write, the person hears "temporarily unavailable" and no step is shown', async () => {
    const own = mkdtempSync(join(tmpdir(), 'jmp-wait-'));
    const main = await startRedis(join(own, 'main'));
    const copy = await startRedis(join(own, 'copy'), undefined, ['--replicaof', '127.0.0.1', String(main.port)]);
    const plain = await bed();
    try {
      const r = new Redis(copy.port, '127.0.0.1');
      await until('the replica in sync', async () => ((await r.info('replication')).includes('master_link_status:up') ? true : undefined));
      r.disconnect();
      const m = new Redis(main.port, '127.0.0.1');
      await new NumberStore(m).import(SAMPLE);
      m.disconnect();
      await plain.start({ REDIS_URL: `redis://127.0.0.1:${main.port}/0`, REDIS_WAIT_REPLICAS: '1', REDIS_WAIT_TIMEOUT_MS: '100' });
      const u = await plain.user();
      expect((await command(u, plain.botJid, REGISTER)).status).toBe('executing');
      await copy.stop();
      const refused = await command(u, plain.botJid, REGISTER);
      expect(refused.error?.stanza).toBe('service-unavailable');
      expect(refused.form).toBeUndefined();
      expect(await chat(u, plain.botJid, 'hello')).toMatch(/temporarily unavailable/);
    } finally {
      await plain.close();
      await Promise.all([copy.stop(), main.stop()]);
      rmSync(own, { recursive: true, force: true });
    }
  });
});
