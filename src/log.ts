// The process's log: one JSON object per line on stdout (pino), with level, time, event and ids; human-readable
// (pino-pretty) in a terminal or with LOG_FORMAT=pretty (the demo). LOG_LEVEL: debug, info (default), warn, error.
import { destination, pino, stdTimeFunctions } from 'pino';
import pretty from 'pino-pretty';
import type { Log, LogFields } from './domain/ports.js';

export interface LogOptions {
  readonly level?: string;
  readonly pretty?: boolean;
  /** Where the lines go (stdout by default). */
  readonly destination?: NodeJS.WritableStream;
}

export function processLog(o: LogOptions = {}): Log {
  const options = { level: o.level ?? 'info', base: undefined, timestamp: stdTimeFunctions.isoTime };
  const logger = o.pretty
    ? pino(
        options,
        pretty({
          sync: true,
          colorize: false,
          ignore: 'pid,hostname',
          translateTime: 'SYS:HH:MM:ss',
          ...(o.destination ? { destination: o.destination } : {}),
        }),
      )
    : pino(options, o.destination ?? destination({ sync: true }));
  return {
    info: (msg: string, fields?: LogFields) => logger.info(fields ?? {}, msg),
    warn: (msg: string, fields?: LogFields) => logger.warn(fields ?? {}, msg),
    error: (msg: string, fields?: LogFields) => logger.error(fields ?? {}, msg),
  };
}

/** As the environment asks: LOG_LEVEL, and pretty in a terminal or with LOG_FORMAT=pretty (LOG_FORMAT=json forces JSON). */
export function logFromEnv(env: Readonly<Record<string, string | undefined>>, isTTY: boolean): Log {
  const format = env.LOG_FORMAT?.trim().toLowerCase();
  const level = env.LOG_LEVEL?.trim().toLowerCase() || 'info';
  if (!LEVELS.includes(level)) throw new Error(`LOG_LEVEL must be one of ${LEVELS.join(', ')}, not "${level}"`);
  if (format && format !== 'json' && format !== 'pretty') throw new Error(`LOG_FORMAT must be json or pretty, not "${format}"`);
  return processLog({ level, pretty: format === 'pretty' || (format !== 'json' && isTTY) });
}

const LEVELS = ['debug', 'info', 'warn', 'error', 'silent'];
