// Unguessable ids from the system's CSPRNG, drawn 4 KiB at a time: one call into it per few hundred ids instead of
// one per id (a chat step makes several: a message id, a session id, a lock token). Each byte is used once.
import { randomFillSync } from 'node:crypto';

const pool = Buffer.alloc(4096);
let at = pool.length;

/** `bytes` random bytes as base64url (16 characters for 12 bytes). */
export function randomBase64url(bytes: number): string {
  // A size that is not a whole number from 1 to the pool's would move the cursor back and hand out bytes again.
  if (!Number.isInteger(bytes) || bytes < 1 || bytes > pool.length) throw new RangeError(`1 to ${pool.length} random bytes, not ${bytes}`);
  if (at + bytes > pool.length) {
    randomFillSync(pool);
    at = 0;
  }
  const s = pool.toString('base64url', at, at + bytes);
  at += bytes;
  return s;
}
