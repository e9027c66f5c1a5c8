// The bench's two yardsticks, each an XMPP component in a process of its own on the same Prosody as the bot:
//   null    answers every ad-hoc request with an empty completed <command/> and every chat message with "ok":
//           what Prosody and the clients cost with (almost) nothing to carry;
//   replay  answers each step with the exact stanza the bot sent for it (recorded by the bench, REPLAY_FILE):
//           the same bytes through Prosody, with no logic and no Redis.
// The bot's cost is what it adds on top of these (bench/run.ts prints the ratios). Replies are written as text.
import { readFileSync } from 'node:fs';
import { component } from '@xmpp/component';
import xmlLib from '@xmpp/xml';
import type { Element } from '../src/xmpp/xml.js';
import { adhocStepOf, chatStepOf, type Recording } from './steps.js';

const { escapeXML } = xmlLib as unknown as { escapeXML: (s: string) => string };
const NS = 'http://jabber.org/protocol/commands';
const mode = process.env.STAND_IN_MODE === 'replay' ? 'replay' : 'null';
const recording: Recording =
  mode === 'replay' ? (JSON.parse(readFileSync(process.env.REPLAY_FILE ?? '', 'utf8')) as Recording) : { adhoc: {}, chat: {} };
/** Each recorded <command/>, cut where its sessionid goes. */
const commands = new Map(
  Object.entries(recording.adhoc).map(([k, v]) => {
    const m = /sessionid=(['"])[^'"]*\1/.exec(v);
    return [k, m ? [v.slice(0, m.index), v.slice(m.index + m[0].length)] : [v]] as const;
  }),
);
const chats = new Map(Object.entries(recording.chat).map(([k, v]) => [k, escapeXML(v)]));

const xmpp = component({
  service: process.env.XMPP_SERVICE ?? '',
  domain: process.env.STAND_IN_JID ?? '',
  password: process.env.XMPP_SECRET ?? '',
});
xmpp.on('error', () => {});
let n = 0;
const a = (v: unknown) => escapeXML(String(v ?? ''));
xmpp.on('stanza', (s: Element) => {
  const head = (name: string, type: string, id: string) =>
    `<${name} type='${type}' id='${id}' to='${a(s.attrs.from)}' from='${a(s.attrs.to)}'>`;
  if (s.is('iq') && s.attrs.type === 'set') {
    const cmd = s.getChild('command', NS);
    const parts = mode === 'replay' && cmd ? commands.get(adhocStepOf(cmd)) : undefined;
    const body = !parts
      ? `<command xmlns='${NS}' node='${a(cmd?.attrs.node)}' status='completed'/>`
      : parts.length === 2
        ? `${parts[0]}sessionid='${a(cmd?.attrs.sessionid ?? `s${++n}`)}'${parts[1]}`
        : parts[0];
    void xmpp.write(`${head('iq', 'result', a(s.attrs.id))}${body}</iq>`);
    return;
  }
  if (s.is('message')) {
    const body = s.getChildText('body');
    if (body === null) return;
    const text = mode === 'null' ? 'ok' : (chats.get(chatStepOf(body)) ?? 'ok');
    void xmpp.write(`${head('message', 'chat', `r${++n}`)}<body>${text}</body></message>`);
  }
});
await xmpp.start();
// As the bot's connection does not: Nagle's algorithm would hold a small answer for the delayed ACK of the last one.
(xmpp as unknown as { socket?: { setNoDelay?(on: boolean): void } }).socket?.setNoDelay?.(true);
process.send?.('ready');
process.on('message', (m: string) => {
  if (m === 'stats' || m === 'reset') {
    const cpu = process.cpuUsage();
    process.send?.({ roundTrips: 0, calls: 0, cpuMicros: cpu.user + cpu.system, rss: process.memoryUsage().rss });
  }
  if (m === 'stop') void xmpp.stop().finally(() => process.exit(0));
});
