// The bot in a process of its own, so the bench can read its CPU and Redis round trips over IPC.
import { startBot } from '../src/bot.js';
import { loadConfig } from '../src/config.js';
import { redisStats } from '../src/store/redis.js';

const quiet = { info: () => {}, warn: (m: string) => console.error(m), error: (m: string) => console.error(m) };
const bot = await startBot(loadConfig(process.env), { log: quiet });

process.on('message', (msg: string) => {
  if (msg === 'reset') {
    redisStats.roundTrips = 0;
    redisStats.calls = 0;
  }
  if (msg === 'reset' || msg === 'stats') {
    const cpu = process.cpuUsage();
    process.send?.({
      roundTrips: redisStats.roundTrips,
      calls: redisStats.calls,
      cpuMicros: cpu.user + cpu.system,
      rss: process.memoryUsage().rss,
    });
  }
  if (msg === 'stop') void bot.stop().then(() => process.exit(0));
});
process.send?.('ready');
