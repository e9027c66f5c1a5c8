// Session documents in Redis: JSON under a key per ad-hoc session id or per chat JID, with a TTL. The store
// only keeps them; the runtime (src/runtime/session.ts) decides what a document means and how long it lives.
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Claim, ContactsPort, SessionKey, SessionsPort, SessionWrite } from '../domain/ports.js';
import { claimCall } from './claims.js';
import { keys } from './keys.js';
import { guarded } from './redis.js';
import { scripts } from './scripts.js';

function key(k: SessionKey): string {
  return 'adhoc' in k ? keys.session(k.adhoc) : keys.chatSession(k.chat);
}

function lockKey(k: SessionKey): string {
  return 'adhoc' in k ? keys.sessionLock(`adhoc-${k.adhoc}`) : keys.sessionLock(`chat-${k.chat}`);
}

function parse(raw: string | null | undefined): unknown {
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}

export class SessionStore implements SessionsPort {
  constructor(private readonly redis: Redis) {}

  /** The stored document, or undefined when there is none or it is not JSON. */
  async get(k: SessionKey): Promise<unknown> {
    return parse(await guarded(() => this.redis.get(key(k))));
  }

  async take(k: SessionKey, lockSeconds: number): Promise<{ doc: unknown; lock: string } | 'busy' | undefined> {
    const lock = randomBytes(9).toString('base64url');
    const [state, raw] = (await scripts.takeSession.run(this.redis, [key(k), lockKey(k)], [lockSeconds, lock])) as [string, string?];
    if (state === 'busy') return 'busy';
    return state === 'ok' ? { doc: parse(raw), lock } : undefined;
  }

  async untake(k: SessionKey, lock: string): Promise<void> {
    await scripts.saveSession.run(this.redis, [key(k), lockKey(k)], ['keep', '', 0, lock]);
  }

  async save(k: SessionKey, doc: object, ttlSeconds: number, lock = ''): Promise<void> {
    await scripts.saveSession.run(
      this.redis,
      [key(k), lockKey(k)],
      ['save', JSON.stringify(doc), Math.max(1, Math.ceil(ttlSeconds)), lock],
    );
  }

  async delete(k: SessionKey, lock = ''): Promise<void> {
    await scripts.saveSession.run(this.redis, [key(k), lockKey(k)], ['delete', '', 0, lock]);
  }

  async commit(claim: Claim, k: SessionKey, write: SessionWrite, lock: string): Promise<string> {
    const c = claimCall(claim);
    const session =
      'save' in write ? ['save', JSON.stringify(write.save), Math.max(1, Math.ceil(write.ttlSeconds)), lock] : ['delete', '', 0, lock];
    return String(await c.script.run(this.redis, [...c.keys, key(k), lockKey(k)], [...c.args, ...session]));
  }

  async current(bare: string, node: string): Promise<SessionKey | undefined> {
    const v = await guarded(() => this.redis.get(keys.currentSession(node, bare)));
    if (v === 'chat') return { chat: bare };
    return v?.startsWith('adhoc:') ? { adhoc: v.slice('adhoc:'.length) } : undefined;
  }

  async claim(bare: string, node: string, k: SessionKey, ttlSeconds: number): Promise<void> {
    const v = 'adhoc' in k ? `adhoc:${k.adhoc}` : 'chat';
    await guarded(() => this.redis.set(keys.currentSession(node, bare), v, 'EX', Math.max(1, Math.ceil(ttlSeconds))));
  }
}

/** Who has written to the bot before: the first message of a newcomer gets a welcome line. */
export class ContactStore implements ContactsPort {
  constructor(private readonly redis: Redis) {}

  async firstContact(bare: string): Promise<boolean> {
    return (await guarded(() => this.redis.set(keys.contact(bare), '1', 'NX'))) === 'OK';
  }
}
