// Operator CLI: the number inventory, the accounts index and the monthly rollover.
//
//   npm run cli -- numbers import FILE.csv    add numbers from a CSV (tel,rate_centre,region)
//   npm run cli -- numbers list               show the numbers on offer, [held] when someone holds one
//   npm run cli -- accounts reindex           build the accounts index from an existing JMP-style Redis
//   npm run cli -- rollover [--month YYYYMM] [--dry-run] [--verbose]
//                                             roll every account over into a month (default: this one)
//   npm run cli -- usage record NUMBER KIND COUNT [--day YYYYMMDD]
//                                             count usage as the SMS/voice gateway does (KIND: messages_in,
//                                             messages_out, minutes_in, minutes_out; default day: today, UTC)
//
// REDIS_URL (or REDIS_SENTINELS) selects the database (default redis://127.0.0.1:6379/0); PLANS_FILE the plans.
// Exit codes: 0 done; 1 the file, its header, every row or Redis was the problem; 2 usage.
import { readFile } from 'node:fs/promises';
import { runRollover } from '../src/billing/rollover.js';
import { loadCatalogue, SAMPLE_PLANS_FILE } from '../src/config.js';
import { yyyymm } from '../src/domain/months.js';
import { formatMoney } from '../src/domain/catalogue.js';
import { reindexAccounts } from '../src/store/accounts-index.js';
import { LeafStore } from '../src/store/leaves.js';
import { RolloverStore } from '../src/store/rollover.js';
import { parseInventoryCsv } from '../src/store/inventory-csv.js';
import { NumberStore } from '../src/store/numbers.js';
import { UsageStore } from '../src/store/usage.js';
import { readDay, USAGE_KINDS, type UsageKind } from '../src/domain/usage.js';
import { toE164 } from '../src/domain/phone.js';
import { ConfigError, redisTarget } from '../src/config.js';
import { connectRedis, type Redis, type RedisTarget } from '../src/store/redis.js';

const USAGE = [
  'usage: npm run cli -- numbers import FILE.csv | numbers list',
  '                      accounts reindex',
  '                      rollover [--month YYYYMM] [--dry-run] [--verbose]',
  '                      usage record NUMBER KIND COUNT [--day YYYYMMDD]   (KIND: messages_in, messages_out, minutes_in, minutes_out)',
  '       (REDIS_URL=redis://HOST:PORT/DB, PLANS_FILE=plans.json)',
].join('\n');

class Exit extends Error {
  constructor(
    readonly code: number,
    readonly line?: string,
  ) {
    super(line ?? `exit ${code}`);
  }
}

const out = (s: string) => process.stdout.write(`${s}\n`);
const err = (s: string) => process.stderr.write(`${s}\n`);
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The URL without a password, for messages. */
function shown(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}

async function openRedis(): Promise<Redis> {
  let target: RedisTarget;
  try {
    target = redisTarget(process.env);
  } catch (e) {
    if (e instanceof ConfigError) throw new Exit(1, e.message);
    throw e;
  }
  // connectRedis reports the socket error (e.g. ECONNREFUSED) as a warning and then rejects with "Connection is closed".
  let cause: string | undefined;
  const quiet = {
    info: () => {},
    warn: (m: string) => {
      cause ??= m.replace(/^redis: /, '');
    },
    error: () => {},
  };
  try {
    return await connectRedis(target, quiet);
  } catch (e) {
    const why = (cause ?? (e as Error).message).replace(/\.$/, '');
    const where =
      typeof target === 'string'
        ? `Redis at ${shown(target)}`
        : `the primary "${target.name}" through the Sentinels at ${target.sentinels.map((s) => `${s.host}:${s.port}`).join(',')}`;
    const setting = typeof target === 'string' ? 'REDIS_URL' : 'REDIS_SENTINELS';
    throw new Exit(1, `cannot reach ${where} (${why}): is redis-server running, and is ${setting} right?`);
  }
}

async function importFile(file: string): Promise<number> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : (e as Error).message;
    throw new Exit(1, `cannot read ${file}: ${why}`);
  }
  const parsed = parseInventoryCsv(text);
  if (!parsed.headerOk) {
    for (const p of parsed.problems) err(`line ${p.line}: ${p.message}`);
    throw new Exit(1, `${file}: nothing imported`);
  }
  // Reach Redis before reporting anything, so an unreachable Redis is one clear line.
  const redis = parsed.rows.length ? await openRedis() : undefined;
  for (const p of parsed.problems) out(`line ${p.line}: ${p.message}`);

  let added = 0;
  let assigned: string[] = [];
  if (redis) {
    try {
      ({ added, assigned } = await new NumberStore(redis).import(parsed.rows));
    } catch (e) {
      throw new Exit(1, `import failed, nothing was imported: ${(e as Error).message}`);
    } finally {
      redis.disconnect();
    }
  }
  const lineOf = new Map(parsed.rows.map((r, i) => [r.tel, parsed.lines[i]]));
  for (const tel of assigned) out(`line ${lineOf.get(tel)}: ${tel} is already assigned to an account; skipped`);
  const skipped = parsed.problems.length + assigned.length;
  out(`imported ${plural(added, 'number', 'numbers')}, skipped ${plural(skipped, 'line', 'lines')}`);
  return added > 0 || parsed.problems.length === 0 ? 0 : 1;
}

async function list(): Promise<number> {
  const redis = await openRedis();
  try {
    const all = await new NumberStore(redis).all();
    for (const { info, heldBy } of all) {
      out(`${info.tel}  ${info.rateCentre}, ${info.region}${heldBy ? '  [held]' : ''}`);
    }
    const held = all.filter((n) => n.heldBy).length;
    out(all.length ? `${plural(all.length, 'number', 'numbers')} available (${held} held)` : 'no numbers available');
    return 0;
  } catch (e) {
    throw new Exit(1, `list failed: ${(e as Error).message}`);
  } finally {
    redis.disconnect();
  }
}

async function reindex(): Promise<number> {
  const redis = await openRedis();
  try {
    const r = await reindexAccounts(redis);
    out(`accounts index: ${plural(r.found, 'account', 'accounts')} found, ${r.added} new`);
    return 0;
  } catch (e) {
    throw new Exit(1, `reindex failed: ${(e as Error).message}`);
  } finally {
    redis.disconnect();
  }
}

async function rollover(flags: readonly string[]): Promise<number> {
  let month = yyyymm(new Date());
  let dryRun = false;
  let verbose = false;
  for (let i = 0; i < flags.length; i++) {
    const f = flags[i];
    if (f === '--dry-run') dryRun = true;
    else if (f === '--verbose') verbose = true;
    else if (f === '--month' && /^\d{4}(0[1-9]|1[0-2])$/.test(flags[i + 1] ?? '')) month = flags[++i] as string;
    else throw new Exit(2, f === '--month' ? '--month takes YYYYMM, e.g. --month 202701' : USAGE);
  }
  let catalogue: ReturnType<typeof loadCatalogue>;
  try {
    catalogue = loadCatalogue(process.env.PLANS_FILE?.trim() || SAMPLE_PLANS_FILE);
  } catch (e) {
    throw new Exit(1, (e as Error).message);
  }
  const redis = await openRedis();
  try {
    // Leaves of lists written by other tools are indexed first, so their mains pay for them (as the bot does at start).
    if (!dryRun) await new LeafStore(redis).adopt();
    const report = await runRollover(
      new RolloverStore(redis),
      month,
      { catalogue, tellCharges: ['1', 'true', 'yes', 'on'].includes(process.env.NOTICE_CHARGES?.trim().toLowerCase() ?? '') },
      {
        dryRun,
        ...(verbose
          ? {
              onAccount: (jid, d, applied) => {
                if (d.kind === 'skip') return out(`${jid}: skipped (${d.why})`);
                const kept = d.writes.length ? `, ${d.writes.length} kept` : '';
                const ended = d.ended.length ? `, ended: ${d.ended.join(' ')}` : '';
                out(
                  `${jid}: ${d.kind}${d.charge ? ` ${d.charge}` : ''}${kept}${ended}${applied === 'ok' || applied === 'dry' ? '' : ` (${applied})`}`,
                );
              },
            }
          : {}),
      },
    );
    const counts = Object.entries(report.outcomes)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
    out(
      `rollover into ${month}${dryRun ? ' (dry run: nothing written)' : ''}: ${plural(report.accounts, 'account', 'accounts')}` +
        `${counts ? `: ${counts}` : ''}; charged ${
          Object.entries(report.charged)
            .map(([cur, n]) => formatMoney(n, cur))
            .join(' + ') || 'nothing'
        }; ${plural(report.notices, 'notice', 'notices')}`,
    );
    return report.outcomes.stale ? 1 : 0;
  } catch (e) {
    if (e instanceof Exit) throw e;
    throw new Exit(1, `rollover stopped: ${(e as Error).message} (run it again: it goes on where it stopped)`);
  } finally {
    redis.disconnect();
  }
}

async function recordUsage(args: readonly string[]): Promise<number> {
  const [number, kind, count, flag, dayText] = args;
  const tel = toE164(number ?? '');
  if (!tel) throw new Exit(2, `"${number ?? ''}" is not a phone number like +14165550100`);
  if (!USAGE_KINDS.includes(kind as UsageKind)) throw new Exit(2, `KIND is one of ${USAGE_KINDS.join(', ')}, not "${kind ?? ''}"`);
  if (!/^\d+$/.test(count ?? '') || Number(count) > 1_000_000) throw new Exit(2, `COUNT is a whole number, not "${count ?? ''}"`);
  if (flag !== undefined && (flag !== '--day' || args.length !== 5)) throw new Exit(2, USAGE);
  const day = dayText === undefined ? new Date().toISOString().slice(0, 10) : readDay(dayText);
  if (!day) throw new Exit(2, `--day takes YYYYMMDD, e.g. --day 20261201, not "${dayText}"`);
  const redis = await openRedis();
  try {
    const now = await new UsageStore(redis).record(tel, kind as UsageKind, Number(count), day);
    out(`${tel} ${day}: ${kind} ${now}`);
    return 0;
  } catch (e) {
    throw new Exit(1, `usage record failed: ${(e as Error).message}`);
  } finally {
    redis.disconnect();
  }
}

async function run(args: readonly string[]): Promise<number> {
  const [what, verb, ...rest] = args;
  if (what === '-h' || what === '--help' || what === 'help') {
    out(USAGE);
    return 0;
  }
  if (what === 'numbers' && verb === 'import' && rest.length === 1 && rest[0]) return importFile(rest[0]);
  if (what === 'numbers' && verb === 'list' && rest.length === 0) return list();
  if (what === 'accounts' && verb === 'reindex' && rest.length === 0) return reindex();
  if (what === 'rollover') return rollover(verb === undefined ? [] : [verb, ...rest]);
  if (what === 'usage' && verb === 'record') return recordUsage(rest);
  throw new Exit(2, USAGE);
}

let code: number;
try {
  code = await run(process.argv.slice(2));
} catch (e) {
  if (e instanceof Exit) {
    if (e.line) err(e.line);
    code = e.code;
  } else {
    err(`unexpected error: ${(e as Error).stack ?? String(e)}`);
    code = 1;
  }
}
// Exit explicitly: a Redis client that never connected keeps retrying in the background.
process.exitCode = code;
process.stdout.write('', () => process.exit(code));
