// Session documents in Redis: JSON under a key per ad-hoc session id or per chat JID, with a TTL. The store
// only keeps them; the runtime (src/runtime/session.ts) decides what a document means and how long it lives.
import { randomBase64url } from '../random.js';
import type { Redis } from 'ioredis';
import type { Claim, ContactsPort, FactsOf, SessionIndex, SessionKey, SessionsPort, SessionWrite, Taken } from '../domain/ports.js';
import { factsCall, readFacts } from './accounts.js';
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

/** What the current-session pointer holds when it names `k`. */
function pointerValue(k: SessionKey): string {
  return 'adhoc' in k ? `adhoc:${k.adhoc}` : 'chat';
}

/** save-session-fn.lua's keys and arguments: session, lock and pointer (the lock key stands in when there is none). */
function sessionTail(k: SessionKey, mode: string, doc: string, ttl: number, lock: string, index?: SessionIndex) {
  return {
    keys: [key(k), lockKey(k), index ? keys.currentSession(index.node, index.bare) : lockKey(k)],
    args: [mode, doc, Math.max(1, Math.ceil(ttl)), lock, index ? pointerValue(k) : ''],
  };
}

export class SessionStore implements SessionsPort {
  constructor(private readonly redis: Redis) {}

  /** The stored document, or undefined when there is none or it is not JSON. */
  async get(k: SessionKey): Promise<unknown> {
    return parse(await guarded(() => this.redis.get(key(k))));
  }

  async take(k: SessionKey, lockSeconds: number, factsOf?: FactsOf): Promise<Taken> {
    const lock = randomBase64url(9);
    const call = factsOf ? factsCall(factsOf.jid, factsOf.now) : { keys: [], args: [] };
    const contact = factsOf?.contact ? keys.contact(factsOf.jid) : undefined;
    const r = (await scripts.takeSession.run(
      this.redis,
      [key(k), lockKey(k), contact ?? lockKey(k), ...call.keys],
      [lockSeconds, lock, contact ? '1' : '0', ...call.args],
    )) as ['busy'] | ['none', string[], string] | ['ok', string, string[]];
    if (r[0] === 'busy') return { kind: 'busy' };
    const first = r[0] === 'none' && r[2] === '1';
    try {
      const facts = factsOf ? { facts: readFacts(r[0] === 'none' ? r[1] : r[2]) } : {};
      if (r[0] === 'none') return { kind: 'none', ...facts, ...(contact ? { firstContact: first } : {}) };
      return { kind: 'ok', doc: parse(r[1]), lock, ...facts };
    } catch (err) {
      // Facts that do not read (another tool's damaged JSON): the step fails, and first undoes what the script did
      // for it (best effort): the session it took is let go, and nobody was welcomed, so a first message is still to come.
      if (r[0] === 'ok') await this.untake(k, lock).catch(() => undefined);
      else if (contact && first) await guarded(() => this.redis.del(contact)).catch(() => undefined);
      throw err;
    }
  }

  async untake(k: SessionKey, lock: string): Promise<void> {
    await this.write(k, 'keep', '', 0, lock);
  }

  async save(k: SessionKey, doc: object, ttlSeconds: number, lock = '', index?: SessionIndex): Promise<void> {
    await this.write(k, 'save', JSON.stringify(doc), ttlSeconds, lock, index);
  }

  async delete(k: SessionKey, lock = '', index?: SessionIndex): Promise<void> {
    await this.write(k, 'delete', '', 0, lock, index);
  }

  private async write(k: SessionKey, mode: string, doc: string, ttl: number, lock: string, index?: SessionIndex): Promise<void> {
    const tail = sessionTail(k, mode, doc, ttl, lock, index);
    await scripts.saveSession.run(this.redis, tail.keys, tail.args);
  }

  async commit(claim: Claim, k: SessionKey, write: SessionWrite, lock: string): Promise<string> {
    const c = claimCall(claim);
    const tail =
      'save' in write
        ? sessionTail(k, 'save', JSON.stringify(write.save), write.ttlSeconds, lock)
        : sessionTail(k, 'delete', '', 0, lock, write.index);
    return String(await c.script.run(this.redis, [...c.keys, ...tail.keys], [...c.args, ...tail.args]));
  }

  async current(bare: string, node: string): Promise<SessionKey | undefined> {
    const v = await guarded(() => this.redis.get(keys.currentSession(node, bare)));
    if (v === 'chat') return { chat: bare };
    return v?.startsWith('adhoc:') ? { adhoc: v.slice('adhoc:'.length) } : undefined;
  }
}

/** Who has written to the bot before: the first message of a newcomer gets a welcome line. */
export class ContactStore implements ContactsPort {
  constructor(private readonly redis: Redis) {}

  async firstContact(bare: string): Promise<boolean> {
    return (await guarded(() => this.redis.set(keys.contact(bare), '1', 'NX'))) === 'OK';
  }
}
