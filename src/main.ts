// `npm start`: read the environment, start the bot, stop cleanly on SIGINT/SIGTERM.
import { consoleLog, startBot } from './bot.js';
import { type Config, ConfigError, loadConfig } from './config.js';

function fail(line: string): never {
  console.error(`jmp-account-bot: ${line}`);
  process.exit(1);
}

let config: Config;
try {
  config = loadConfig(process.env);
} catch (err) {
  fail(err instanceof ConfigError ? err.message : String(err));
}

process.on('unhandledRejection', (err) => consoleLog.error(`unhandled: ${(err as Error)?.stack ?? String(err)}`));

try {
  const bot = await startBot(config, { onFatal: (why) => fail(why) });
  consoleLog.info(`jmp-account-bot ready as ${config.botJid}`);
  if (bot.web) consoleLog.info(`web server on ${config.web?.host}:${bot.web.port} (PUBLIC_URL ${config.web?.publicUrl})`);
  const stop = async () => {
    await bot.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (err) {
  const e = err as Error & { code?: string };
  fail(`could not start: ${e.message}${e.code === 'ECONNREFUSED' ? ' (is the server running and the URL right?)' : ''}`);
}
