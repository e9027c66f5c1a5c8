// Writes to a socket issued in one turn of the event loop go out together, in one system call. When the bot is
// busy, one read brings several stanzas (or Redis replies), and the calls and answers they lead to would each
// cost a write of their own; a write is the largest single cost of a step on a loaded machine (npm run bench).
// Nothing waits for another turn: the batch goes when the current one ends (process.nextTick), before any I/O.
import type { Socket } from 'node:net';

export function batchWrites(socket: Socket): void {
  let corked = false;
  const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
  const batched = (...args: unknown[]): boolean => {
    if (!corked) {
      corked = true;
      socket.cork();
      process.nextTick(() => {
        corked = false;
        socket.uncork();
      });
    }
    return write(...args);
  };
  socket.write = batched as Socket['write'];
}
