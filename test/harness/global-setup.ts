/**
 * vitest globalSetup: one private Redis and one private Prosody for the whole run.
 * Test files get their own slot (component botN.localhost + Redis db N) from slot.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startProsody, startRedis, type RunningProsody, type RunningRedis } from '../../src/dev/servers.js';

export const SLOT_COUNT = 12;
export const COMPONENT_SECRET = 'test-secret';
export const TEST_USERS = ['alice', 'bob', 'admin', 'carol'] as const;
export const TEST_PASSWORD = 'pw';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = mkdtempSync(join(tmpdir(), 'jmp-bot-test-'));
  let redis: RunningRedis | undefined;
  let prosody: RunningProsody | undefined;

  const teardown = async (): Promise<void> => {
    await Promise.allSettled([redis?.stop(), prosody?.stop()]);
    if (process.env.KEEP_TEST_DIR) {
      console.log(`[test harness] kept ${dir}`);
    } else {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  try {
    const components = Array.from({ length: SLOT_COUNT }, (_, i) => ({
      jid: `bot${i + 1}.localhost`,
      secret: COMPONENT_SECRET,
    }));
    const users = TEST_USERS.map((user) => ({ user, host: 'localhost', password: TEST_PASSWORD }));
    const [r, p] = await Promise.allSettled([
      startRedis(dir),
      startProsody({
        dir,
        components,
        users,
        logLevel: (process.env.PROSODY_LOG_LEVEL as 'debug' | 'info' | 'warn' | 'error' | undefined) ?? 'info',
      }),
    ]);
    if (r.status === 'fulfilled') redis = r.value;
    if (p.status === 'fulfilled') prosody = p.value;
    if (r.status === 'rejected') throw r.reason;
    if (p.status === 'rejected') throw p.reason;
  } catch (err) {
    await teardown();
    throw err;
  }

  project.provide('redisPort', redis!.port);
  project.provide('c2sPort', prosody!.c2sPort);
  project.provide('componentPort', prosody!.componentPort);
  project.provide('componentSecret', COMPONENT_SECRET);

  return teardown;
}
