// Deadlines that must cause a message, in one sorted set (bot-deadlines) scored by when they are due (ms): never
// keyspace notifications, which Redis drops while nobody listens. Each is written by the script that makes what
// it watches, and taken out by the script that ends it on purpose (or by the runner, once it acted).
import type { Redis } from 'ioredis';
import type { Deadline, DeadlinesPort, HoldLapse, NumberInfo, Tell } from '../domain/ports.js';
import { keys } from './keys.js';
import { numberInfoOf } from './numbers.js';
import { tellsArg } from './outbox.js';
import { guarded } from './redis.js';
import { scripts } from './scripts.js';

/** A card payment's link and hold end: closed then unless a Stripe event closed or paid it first. */
export const paymentDeadline = (id: string) => `payment|${id}`;
/** A signup's hold on a number for `jid` lapses. Numbers and holders have no `|`; the JID comes last. */
export const holdDeadline = (tel: string, holder: string, jid: string) => `hold|${tel}|${holder}|${jid}`;

export function parseDeadline(member: string): Deadline | undefined {
  const [kind, ...rest] = member.split('|');
  if (kind === 'payment' && rest.length === 1 && rest[0]) return { member, kind, id: rest[0] };
  if (kind === 'hold' && rest.length >= 3) {
    const [tel = '', ...tail] = rest;
    const after = tail.join('|');
    // A web hold is `web:JID|JID`: the JID twice, so a `|` inside it cannot move the split.
    if (after.startsWith('web:')) {
      const jid = after.slice(4, 4 + (after.length - 5) / 2);
      return after === `web:${jid}|${jid}` ? { member, kind, tel, holder: `web:${jid}`, jid } : undefined;
    }
    const [holder = '', ...jid] = tail;
    return { member, kind, tel, holder, jid: jid.join('|') };
  }
  return undefined;
}

export class DeadlineStore implements DeadlinesPort {
  constructor(private readonly redis: Redis) {}

  async take(now: Date, count: number, retryMs: number): Promise<{ readonly due: Deadline[]; readonly unreadable: string[] }> {
    const members = (await scripts.deadlineTake.run(this.redis, [keys.deadlines], [now.getTime(), count, retryMs])) as string[];
    const due: Deadline[] = [];
    const unreadable: string[] = [];
    for (const m of members) {
      const d = parseDeadline(m);
      if (d) due.push(d);
      else unreadable.push(m);
    }
    return { due, unreadable };
  }

  async later(member: string, at: Date): Promise<void> {
    // XX: a deadline taken out meanwhile (its hold let go, its payment closed) stays out.
    await guarded(() => this.redis.zadd(keys.deadlines, 'XX', at.getTime(), member));
  }

  async done(member: string): Promise<void> {
    await guarded(() => this.redis.zrem(keys.deadlines, member));
  }

  async hold(d: Extract<Deadline, { kind: 'hold' }>, now: Date, text: (n: NumberInfo) => string): Promise<HoldLapse> {
    const [cur, ttl, raw] = await guarded(() =>
      Promise.all([
        this.redis.get(keys.reservation(d.tel)),
        this.redis.pttl(keys.reservation(d.tel)),
        this.redis.hget(keys.numbersInfo, d.tel),
      ]),
    );
    // Still held (the signup made the hold again): due when that one ends.
    if (cur === d.holder && ttl > 0) {
      await this.later(d.member, new Date(now.getTime() + ttl));
      return 'held';
    }
    const tells: Tell[] = [{ to: d.jid, body: text(numberInfoOf(d.tel, raw)), why: 'hold-lapsed' }];
    return (await scripts.holdLapse.run(
      this.redis,
      [keys.deadlines, keys.reservation(d.tel), keys.catapultJid(d.tel), keys.outbox, keys.pending(d.jid), keys.jidNumber(d.jid)],
      [d.member, d.holder, d.jid, cur ?? '', d.tel, tellsArg(tells)],
    )) as HoldLapse;
  }
}
