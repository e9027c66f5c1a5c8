// Every golden transcript (test/golden/*.txt), on the in-memory ports: both UIs of every command, no servers.
// test/integration/golden.test.ts replays the same files on the real Redis store.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { replayFile } from '../kit/golden.js';
import { memoryBackend } from '../kit/memory-backend.js';

const dir = new URL('../golden/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.txt'));

describe('golden transcripts, in memory', () => {
  it('there are transcripts to replay', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s', async (file) => {
    const { expected, actual } = await replayFile(new URL(file, dir).pathname, memoryBackend());
    expect(actual).toBe(expected);
  });
});
