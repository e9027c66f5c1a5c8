// Leases: a key a process holds for a short time and renews (SET … PX); a crashed holder loses it when it lapses.
import type { Redis } from 'ioredis';
import type { Lease } from '../domain/ports.js';
import { guarded } from './redis.js';
import { scripts } from './scripts.js';

export class LeaseStore implements Lease {
  constructor(
    private readonly redis: Redis,
    private readonly key: string,
  ) {}

  async hold(holder: string, ttlMs: number): Promise<void> {
    await guarded(() => this.redis.set(this.key, holder, 'PX', ttlMs));
  }

  async acquire(holder: string, ttlMs: number): Promise<boolean> {
    return (await scripts.acquireLease.run(this.redis, [this.key], [holder, ttlMs])) === 1;
  }

  async release(holder: string): Promise<void> {
    await scripts.releaseLease.run(this.redis, [this.key], [holder]);
  }

  async held(): Promise<boolean> {
    return (await guarded(() => this.redis.exists(this.key))) === 1;
  }
}
