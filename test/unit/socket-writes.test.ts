// Writes issued in one turn go out together; nothing stays held back after the turn, and the order is kept.
import { createServer, connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { batchWrites } from '../../src/socket-writes.js';

async function pair(): Promise<{ client: Socket; received: () => string; close: () => void }> {
  let got = '';
  const server = createServer((s) =>
    s.on('data', (d) => {
      got += d.toString();
    }),
  );
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  const port = (server.address() as { port: number }).port;
  const client = connect(port, '127.0.0.1');
  await new Promise((res) => client.once('connect', res));
  return {
    client,
    received: () => got,
    close: () => {
      client.destroy();
      server.close();
    },
  };
}

const until = async (ok: () => boolean) => {
  for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 5));
};

describe('batchWrites', () => {
  it('sends what one turn writes in one go, in order, and what a later turn writes too', async () => {
    const p = await pair();
    // How the stream hands its data to the system: one call per write, or one for a batch (writev).
    const calls: number[] = [];
    const sock = p.client as unknown as { _write: (...a: unknown[]) => void; _writev: (chunks: unknown[], cb: unknown) => void };
    const single = sock._write.bind(sock);
    const many = sock._writev.bind(sock);
    sock._write = (...a) => {
      calls.push(1);
      single(...a);
    };
    sock._writev = (chunks, cb) => {
      calls.push(chunks.length);
      many(chunks, cb);
    };
    batchWrites(p.client);
    p.client.write('one ');
    p.client.write('two ');
    p.client.write('three ');
    await until(() => p.received().length >= 14);
    expect(p.received()).toBe('one two three ');
    expect(calls).toEqual([3]);
    // Not left corked: a write in another turn goes out by itself.
    await new Promise((r) => setTimeout(r, 10));
    p.client.write('four');
    await until(() => p.received().endsWith('four'));
    expect(p.received()).toBe('one two three four');
    expect(calls).toEqual([3, 1]);
    p.close();
  });
});
