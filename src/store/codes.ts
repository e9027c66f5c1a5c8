// Referral codes on Redis: creating, listing, revoking, reading one back for signup, and counting wrong tries.
// Redeeming one is a claim (claims.ts): it happens with the signup's session write.
import type { Redis } from 'ioredis';
import type { CodeKind, ReferralCode } from '../domain/codes.js';
import { monthOf } from '../domain/months.js';
import type { CodesPort, FoundCode, NewCode } from '../domain/ports.js';
import { keys } from './keys.js';
import { guarded } from './redis.js';
import { scripts } from './scripts.js';

/** A month's count of created codes outlives its month. */
const COUNT_TTL_SECONDS = 62 * 24 * 3600;
/** Wrong tries are counted for an hour from the first. */
const TRIES_TTL_SECONDS = 3600;

const KINDS: readonly CodeKind[] = ['payer', 'invite', 'admin'];

function readHash(code: string, h: Record<string, string>): FoundCode | undefined {
  const kind = KINDS.find((k) => k === h.kind);
  if (!kind || !h.creator) return undefined;
  const uses = Number(h.uses ?? '-1');
  const expires = Number(h.expires ?? '0');
  return {
    code,
    kind,
    creator: h.creator,
    ...(uses >= 0 ? { usesLeft: uses } : {}),
    ...(expires > 0 ? { expiresAt: expires } : {}),
    createdAt: Number(h.created ?? '0'),
    revoked: h.revoked === '1',
    usedBy: [],
    ...(h.list ? { list: h.list } : {}),
    show: h.show === 'jid' ? 'jid' : 'number',
  };
}

export class CodeStore implements CodesPort {
  constructor(private readonly redis: Redis) {}

  async create(code: string, spec: NewCode, now: Date, perMonth: number): Promise<'ok' | 'taken' | 'limit'> {
    return (await scripts.createCode.run(
      this.redis,
      [
        keys.code(code),
        keys.codesOf(spec.creator),
        keys.codesCreated(monthOf(now, 0), spec.creator),
        keys.leafJidsIndex(spec.creator),
        keys.leafListN(spec.creator),
        keys.leafJidsNext,
      ],
      [code, spec.kind, spec.creator, spec.uses ?? -1, spec.expiresAt ?? 0, now.getTime(), perMonth, COUNT_TTL_SECONDS, spec.show],
    )) as 'ok' | 'taken' | 'limit';
  }

  async listOf(creator: string, limit: number): Promise<ReferralCode[]> {
    const codes = await guarded(() => this.redis.zrevrange(keys.codesOf(creator), 0, limit - 1));
    if (!codes.length) return [];
    const read = await guarded(() =>
      Promise.all(codes.map((c) => Promise.all([this.redis.hgetall(keys.code(c)), this.redis.lrange(keys.codeUsedBy(c), 0, -1)]))),
    );
    // Who used a code is shown by number, never by JID: one more read for their numbers.
    const users = [...new Set(read.flatMap(([, by]) => by))];
    const numbers = users.length ? await guarded(() => this.redis.mget(...users.map((j) => keys.jidNumber(j)))) : [];
    const telOf = new Map(users.map((j, i) => [j, numbers[i] ?? undefined]));
    return codes.flatMap((c, i) => {
      const [h, by] = read[i] ?? [{}, []];
      const found = readHash(c, h);
      if (!found) return [];
      const { list: _list, show: _show, ...code } = found;
      return [{ ...code, usedBy: by.flatMap((j) => telOf.get(j) ?? []) }];
    });
  }

  async revoke(creator: string, code: string): Promise<boolean> {
    return (await scripts.revokeCode.run(this.redis, [keys.code(code)], [creator])) === 1;
  }

  async find(code: string): Promise<FoundCode | undefined> {
    return readHash(code, await guarded(() => this.redis.hgetall(keys.code(code))));
  }

  async wrongTries(jid: string): Promise<number> {
    return Number((await guarded(() => this.redis.get(keys.codeTries(jid)))) ?? '0');
  }

  async countWrong(jid: string): Promise<void> {
    await guarded(() => this.redis.multi().incr(keys.codeTries(jid)).expire(keys.codeTries(jid), TRIES_TTL_SECONDS, 'NX').exec());
  }
}
