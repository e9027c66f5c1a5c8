// What the web site does (the seed's jmp-register): an XMPP client with its own JID, listed in the bot's
// WEB_REGISTER_JIDS, that runs the bot's ad-hoc node web-register for the address and number a person entered on
// the site's page (or web-register-resend for the site's "send it again" page), and shows the note it gets back.
//
//   npx tsx samples/web-site.ts [--service xmpp://127.0.0.1:5222] [--jid site@localhost] [--password demo]
//                               [--bot bot.localhost] register ADDRESS NUMBER
//   npx tsx samples/web-site.ts ... resend ADDRESS
//
// `npm run demo` prints this line with its own port; its `site@localhost` is in WEB_REGISTER_JIDS.
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { client, xml } from '@xmpp/client';
import type { Element } from '@xmpp/xml';

const NS = 'http://jabber.org/protocol/commands';
const { values: o, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    service: { type: 'string', default: 'xmpp://127.0.0.1:5222' },
    jid: { type: 'string', default: 'site@localhost' },
    password: { type: 'string', default: 'demo' },
    bot: { type: 'string', default: 'bot.localhost' },
  },
});
const [what, address, number] = positionals;
if (!address || (what === 'register' && !number) || (what !== 'register' && what !== 'resend')) {
  console.error('usage: web-site.ts [--service URL --jid JID --password PW --bot BOT] register ADDRESS NUMBER | resend ADDRESS');
  process.exit(2);
}

const [username = '', domain = ''] = o.jid.split('@');
const xmpp = client({
  service: o.service,
  domain,
  resource: 'web-site',
  credentials: async (authenticate, mechanisms) => {
    // PLAIN over plain TCP is for a loopback demo server only; a real site uses TLS (xmpps:// or STARTTLS).
    await authenticate(
      { username, password: o.password },
      mechanisms.includes('PLAIN') ? 'PLAIN' : (mechanisms[0] ?? ''),
      xml('user-agent', { id: randomUUID() }),
    );
  },
});
xmpp.reconnect.stop();
xmpp.on('error', (err: Error) => console.error(`web-site: ${err.message}`));

/** One ad-hoc request to the bot: the `<command/>` of its answer, or the XMPP error it got. */
async function run(node: string, attrs: Record<string, string>, form?: Element): Promise<Element> {
  const command = form ? xml('command', { xmlns: NS, node, ...attrs }, form) : xml('command', { xmlns: NS, node, ...attrs });
  const answer: Element = await xmpp.iqCaller.request(xml('iq', { type: 'set', to: o.bot }, command));
  return answer.getChild('command', NS) as Element;
}

const field = (v: string, value: string) => xml('field', { var: v }, xml('value', {}, value));

try {
  await xmpp.start();
  const node = what === 'register' ? 'web-register' : 'web-register-resend';
  const first = await run(node, { action: 'execute' });
  const values = what === 'register' ? [field('jid', address), field('tel', number as string)] : [field('jid', address)];
  const done = await run(
    node,
    { action: 'complete', sessionid: String(first.attrs.sessionid) },
    xml('x', { xmlns: 'jabber:x:data', type: 'submit' }, ...values),
  );
  for (const n of done.getChildren('note')) console.log(`${n.attrs.type ?? 'info'}: ${n.text()}`);
  process.exitCode = done.getChildren('note').some((n) => n.attrs.type === 'error') ? 1 : 0;
} catch (err) {
  // forbidden: this JID is not in the bot's WEB_REGISTER_JIDS.
  const condition = (err as { condition?: string }).condition;
  console.error(`web-site: ${condition ?? (err as Error).message}`);
  process.exitCode = 1;
} finally {
  await xmpp.stop().catch(() => undefined);
}
