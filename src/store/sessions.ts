// Session documents in Redis: JSON under a key per ad-hoc session id or per chat JID, with a TTL. The store
// only keeps them; the runtime (src/runtime/session.ts) decides what a document means and how long it lives.
import type { Redis } from 'ioredis';
import type { ContactsPort, SessionKey, SessionsPort } from '../domain/ports.js';
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

  async take(k: SessionKey, lockSeconds: number): Promise<{ doc: unknown } | 'busy' | undefined> {
    const [state, raw] = (await scripts.takeSession.run(this.redis, [key(k), lockKey(k)], [lockSeconds])) as [string, string?];
    if (state === 'busy') return 'busy';
    return state === 'ok' ? { doc: parse(raw) } : undefined;
  }

  async untake(k: SessionKey): Promise<void> {
    await guarded(() => this.redis.del(lockKey(k)));
  }

  async save(k: SessionKey, doc: object, ttlSeconds: number): Promise<void> {
    const r = await guarded(() =>
      this.redis
        .multi()
        .set(key(k), JSON.stringify(doc), 'EX', Math.max(1, Math.ceil(ttlSeconds)))
        .del(lockKey(k))
        .exec(),
    );
    failed(r);
  }

  async delete(k: SessionKey): Promise<void> {
    failed(await guarded(() => this.redis.multi().del(key(k)).del(lockKey(k)).exec()));
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

/** MULTI answers each command's error in its result instead of throwing: make a refused write throw. */
function failed(results: [Error | null, unknown][] | null): void {
  const err = results?.find(([e]) => e)?.[0];
  if (err) throw err;
  if (!results) throw new Error('transaction aborted');
}

/** Who has written to the bot before: the first message of a newcomer gets a welcome line. */
export class ContactStore implements ContactsPort {
  constructor(private readonly redis: Redis) {}

  async firstContact(bare: string): Promise<boolean> {
    return (await guarded(() => this.redis.set(keys.contact(bare), '1', 'NX'))) === 'OK';
  }
}
