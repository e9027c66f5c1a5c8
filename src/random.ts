// Unguessable ids from the system's CSPRNG, drawn 4 KiB at a time: one call into it per few hundred ids instead of
// one per id (a chat step makes several: a message id, a session id, a lock token). Each byte is used once.
import { randomFillSync } from 'node:crypto';

const pool = Buffer.alloc(4096);
let at = pool.length;

/** `bytes` random bytes as base64url (16 characters for 12 bytes). */
export function randomBase64url(bytes: number): string {
  if (bytes > pool.length) throw new RangeError('at most 4096 bytes at a time');
  if (at + bytes > pool.length) {
    randomFillSync(pool);
    at = 0;
  }
  const s = pool.toString('base64url', at, at + bytes);
  at += bytes;
  return s;
}
