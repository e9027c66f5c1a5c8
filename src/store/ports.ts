// Every port on one Redis connection: what the bot and the Redis-backed test kit assemble.
import type { Redis } from 'ioredis';
import { AccountStore } from './accounts.js';
import { CodeStore } from './codes.js';
import { LeafStore } from './leaves.js';
import { NumberStore } from './numbers.js';
import { PaymentStore } from './payments.js';
import { ContactStore, SessionStore } from './sessions.js';
import { UsageStore } from './usage.js';
import { WebRegisterStore } from './web-register.js';

export function redisPorts(redis: Redis) {
  return {
    numbers: new NumberStore(redis),
    accounts: new AccountStore(redis),
    sessions: new SessionStore(redis),
    contacts: new ContactStore(redis),
    paymentRecords: new PaymentStore(redis),
    codes: new CodeStore(redis),
    leaves: new LeafStore(redis),
    web: new WebRegisterStore(redis),
    usage: new UsageStore(redis),
  };
}
