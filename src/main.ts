// `npm start`: read the environment, start the bot, stop cleanly on SIGINT/SIGTERM.
import { startBot } from './bot.js';
import { type Config, ConfigError, loadConfig } from './config.js';
import type { Log } from './domain/ports.js';
import { logFromEnv } from './log.js';

/**
 * Exit codes: 78 (EX_CONFIG) for what only the operator can fix (a setting, a refused secret or domain), so that
 * systemd does not restart it in a loop (RestartPreventExitStatus=78); 1 for what may pass (Redis not up yet).
 */
const CONFIG = 78;

function fail(line: string, code = CONFIG): never {
  console.error(`jmp-account-bot: ${line}`);
  process.exit(code);
}

let config: Config;
let log: Log;
try {
  config = loadConfig(process.env);
  log = logFromEnv(process.env, process.stdout.isTTY === true);
} catch (err) {
  fail(err instanceof ConfigError || err instanceof Error ? err.message : String(err));
}

process.on('unhandledRejection', (err) => log.error(`unhandled: ${(err as Error)?.stack ?? String(err)}`, { event: 'unhandled' }));

try {
  const bot = await startBot(config, { log, onFatal: (why) => fail(why) });
  if (bot.connection.state() === 'standby')
    log.info(`jmp-account-bot standing by for ${config.botJid}`, { event: 'standby', jid: config.botJid });
  else log.info(`jmp-account-bot ready as ${config.botJid}`, { event: 'ready', jid: config.botJid });
  if (bot.web)
    log.info(`web server on ${config.web?.host}:${bot.web.port} (PUBLIC_URL ${config.web?.publicUrl})`, {
      event: 'web.listening',
      port: bot.web.port,
    });
  if (bot.metricsServer)
    log.info(`metrics on ${config.metrics?.host}:${bot.metricsServer.port}/metrics`, {
      event: 'metrics.listening',
      port: bot.metricsServer.port,
    });
  const stop = async () => {
    // Gone within 2 s whatever is stuck (a Redis that does not answer): every change is one script, atomic in Redis.
    setTimeout(() => process.exit(0), 1900).unref();
    await bot.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (err) {
  const e = err as Error & { code?: string };
  // A setting the running services refused (a Stripe key) is the operator's to fix; anything else may pass.
  fail(
    `could not start: ${e.message}${e.code === 'ECONNREFUSED' ? ' (is the server running and the URL right?)' : ''}`,
    err instanceof ConfigError ? CONFIG : 1,
  );
}
