// A Redis of one test file's own, for tests that count the commands Redis runs (INFO commandstats counts the
// whole server, and the shared one serves other files at the same time).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedis } from '../../src/dev/servers.js';

export async function privateRedis(): Promise<{ url: string; stop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'private-redis-'));
  const r = await startRedis(dir);
  return {
    url: `redis://127.0.0.1:${r.port}/0`,
    async stop() {
      await r.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
