// The outbox on Redis: a stream (bot-outbox) that scripts append to in the same step as the change a message
// reports, read through one consumer group (`sender`) so that, with several bot processes, each message goes to
// one of them; a message is deleted once sent. One read may block for a while, so it has a connection of its own.
import type { Redis } from 'ioredis';
import type { OutboxMessage, OutboxPort, Tell } from '../domain/ports.js';
import { keys } from './keys.js';
import { guarded } from './redis.js';
import { scripts } from './scripts.js';

const GROUP = 'sender';

/** Messages as a script's argument (tell-fn.lua): a JSON list, '' for none. */
export function tellsArg(tells: readonly Tell[] | undefined): string {
  return tells?.length ? JSON.stringify(tells.map(({ to, body, why }) => ({ to, body, why }))) : '';
}

type Entries = [id: string, fields: string[]][];

function messages(entries: Entries | null | undefined): OutboxMessage[] {
  return (entries ?? []).flatMap(([id, f]) => {
    if (!f) return []; // deleted meanwhile (XAUTOCLAIM reports those as nil)
    const get = (k: string) => f[f.indexOf(k) + 1];
    const to = f.includes('to') ? get('to') : undefined;
    const body = f.includes('body') ? get('body') : undefined;
    return to && body !== undefined ? [{ id, to, body }] : [{ id, to: '', body: '' }];
  });
}

export class OutboxStore implements OutboxPort {
  private ready = false;
  constructor(
    private readonly redis: Redis,
    /** A second connection, for the blocking read. */
    private readonly blocking: Redis,
  ) {}

  /** A group call; if the stream or its group went away (a flushed or restored Redis), make the group again next time. */
  private async inGroup<T>(call: () => Promise<T>): Promise<T> {
    await this.group();
    try {
      return await call();
    } catch (err) {
      if (/NOGROUP|UNBLOCKED/.test(String((err as Error).message))) this.ready = false;
      throw err;
    }
  }

  private async group(): Promise<void> {
    if (this.ready) return;
    try {
      await guarded(() => this.redis.xgroup('CREATE', keys.outbox, GROUP, '0', 'MKSTREAM'));
    } catch (err) {
      if (!String((err as Error).message).includes('BUSYGROUP')) throw err;
    }
    this.ready = true;
  }

  async next(consumer: string, count: number, blockMs: number, which: 'new' | 'own' = 'new'): Promise<OutboxMessage[]> {
    return this.inGroup(async () => {
      const r = (await guarded(
        () =>
          which === 'own'
            ? this.redis.xreadgroup('GROUP', GROUP, consumer, 'COUNT', count, 'STREAMS', keys.outbox, '0')
            : this.blocking.xreadgroup('GROUP', GROUP, consumer, 'COUNT', count, 'BLOCK', blockMs, 'STREAMS', keys.outbox, '>'),
        { background: which === 'new' },
      )) as [string, Entries][] | null;
      return messages(r?.[0]?.[1]);
    });
  }

  async stale(consumer: string, idleMs: number, count: number): Promise<OutboxMessage[]> {
    return this.inGroup(async () => {
      const r = (await guarded(() => this.redis.xautoclaim(keys.outbox, GROUP, consumer, idleMs, '0', 'COUNT', count))) as [
        string,
        Entries,
      ];
      return messages(r?.[1]);
    });
  }

  async sent(ids: readonly string[]): Promise<void> {
    if (!ids.length) return;
    await guarded(() => Promise.all([this.redis.xack(keys.outbox, GROUP, ...ids), this.redis.xdel(keys.outbox, ...ids)]));
  }

  async leave(consumer: string): Promise<void> {
    // XGROUP DELCONSUMER drops what the consumer holds unconfirmed: only an empty-handed one leaves, in one step.
    await this.inGroup(() => scripts.outboxLeave.run(this.redis, [keys.outbox], [GROUP, consumer]));
  }

  async depth(): Promise<{ readonly count: number; readonly oldestMs?: number }> {
    const [count, first] = await guarded(() =>
      Promise.all([this.redis.xlen(keys.outbox), this.redis.xrange(keys.outbox, '-', '+', 'COUNT', 1)]),
    );
    const id = first[0]?.[0];
    return { count, ...(id ? { oldestMs: Number(id.split('-')[0]) } : {}) };
  }
}
