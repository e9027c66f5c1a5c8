// Session persistence: JSON with a Redis TTL a day past the idle timeout, so a late reply can be told
// "session expired" rather than "unknown session".
import type { Redis } from 'ioredis';
import { isSession, type Session } from '../commands/session.js';
import { keys } from './keys.js';
import { guarded, redisStats } from './redis.js';

const GRACE_SECONDS = 24 * 3600;

export type SessionKey = { readonly adhoc: string } | { readonly chat: string };

function key(k: SessionKey): string {
  return 'adhoc' in k ? keys.session(k.adhoc) : keys.chatSession(k.chat);
}

export class SessionStore {
  constructor(
    private readonly redis: Redis,
    private readonly onLostWrite: (err: unknown) => void = () => {},
  ) {}

  /**
   * Write-behind: the SET is queued on the connection now (so this process's next read of the session sees it,
   * commands being ordered) and the reply goes out without waiting for Redis's answer. A failed write is
   * logged; the person's next step then answers bad-sessionid, and any number held lapses with its TTL.
   */
  saveSoon(k: SessionKey, s: Session, now: Date): void {
    redisStats.behind++;
    this.save(k, s, now).catch(this.onLostWrite);
  }

  deleteSoon(k: SessionKey): void {
    redisStats.behind++;
    this.delete(k).catch(this.onLostWrite);
  }

  async get(k: SessionKey): Promise<Session | undefined> {
    const raw = await guarded(() => this.redis.get(key(k)));
    if (!raw) return undefined;
    try {
      const s: unknown = JSON.parse(raw);
      return isSession(s) ? s : undefined;
    } catch {
      return undefined;
    }
  }

  async save(k: SessionKey, s: Session, now: Date): Promise<void> {
    const ttl = Math.max(1, Math.ceil((s.expiresAt - now.getTime()) / 1000)) + GRACE_SECONDS;
    await guarded(() => this.redis.set(key(k), JSON.stringify(s), 'EX', ttl));
  }

  async delete(k: SessionKey): Promise<void> {
    await guarded(() => this.redis.del(key(k)));
  }
}
