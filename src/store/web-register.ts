// Signup that starts on the web site (web-register): the number the site chose, held for the JID it named, with
// the message to that JID; resending it; the person declining it. See the web-*.lua scripts.
import type { Redis } from 'ioredis';
import { type Tell, type WebChoiceRequest, type WebRegisterPort, webHolder } from '../domain/ports.js';
import { readWebChoice } from './accounts.js';
import { holdDeadline } from './deadlines.js';
import { keys } from './keys.js';
import { tellsArg } from './outbox.js';
import { guarded } from './redis.js';
import { scripts } from './scripts.js';

const TRIES = 3;

export class WebRegisterStore implements WebRegisterPort {
  constructor(private readonly redis: Redis) {}

  async choose(c: WebChoiceRequest): Promise<'ok' | 'unavailable' | 'limited'> {
    for (let i = 0; i < TRIES; i++) {
      const earlier = await guarded(() => this.redis.get(keys.webChoice(c.jid)));
      const earlierTel = earlier ? readWebChoice(earlier)?.tel : undefined;
      const r = await scripts.webChoose.run(
        this.redis,
        [
          keys.numbersAvailable,
          keys.reservation(c.tel),
          keys.webChoice(c.jid),
          keys.deadlines,
          keys.outbox,
          keys.reservation(earlierTel ?? c.tel),
          keys.webResends(c.jid),
        ],
        [
          c.tel,
          c.jid,
          c.holdSeconds,
          c.at.getTime(),
          tellsArg(c.tells),
          c.tellLapse ? holdDeadline(c.tel, webHolder(c.jid), c.jid) : '',
          earlier ?? '',
          earlierTel ? holdDeadline(earlierTel, webHolder(c.jid), c.jid) : '',
          c.perHour,
        ],
      );
      if (r !== 'retry') return r as 'ok' | 'unavailable' | 'limited';
    }
    throw new Error(`the web choice of ${c.jid} kept changing`);
  }

  async resend(jid: string, perHour: number, tells: readonly Tell[]): Promise<'sent' | 'none' | 'limited'> {
    for (let i = 0; i < TRIES; i++) {
      const raw = await guarded(() => this.redis.get(keys.webChoice(jid)));
      const r = await scripts.webResend.run(
        this.redis,
        [keys.webChoice(jid), keys.webResends(jid), keys.outbox],
        [perHour, raw ? tellsArg(tells) : '', raw ?? ''],
      );
      if (r !== 'retry') return r as 'sent' | 'none' | 'limited';
    }
    throw new Error(`the web choice of ${jid} kept changing`);
  }

  async choiceOf(jid: string): Promise<string | undefined> {
    const raw = await guarded(() => this.redis.get(keys.webChoice(jid)));
    return raw ? readWebChoice(raw)?.tel : undefined;
  }

  async decline(jid: string, tel: string): Promise<void> {
    await scripts.webDecline.run(
      this.redis,
      [keys.webChoice(jid), keys.reservation(tel), keys.deadlines],
      [jid, holdDeadline(tel, webHolder(jid), jid)],
    );
  }
}
