// Golden transcripts: a fixture file is a conversation with the bot, each input followed by what the bot
// answered. Running one replays the inputs on a Kit and prints the transcript again with the real answers;
// the test is that the two texts are equal. UPDATE_GOLDEN=1 writes the real answers back (then read the diff).
//
//   # comment                          kept as it is
//   clock 2026-11-22T10:00:00Z         settings, before the first input
//   admins admin@example.org
//   methods trial,credit_card
//   given active|trial|expired JID TEL an account (plan this month and next; last month only when expired)
//   given balance JID MINOR
//   >>> chat JID                       the lines below are one message body from JID
//   >>> adhoc JID                      the lines below are a <command/>; sessionid='$last' is JID's last session,
//                                      sessionid='$last:OTHER-JID' another's (to try someone else's session)
//   >>> disco JID                      the lines below are a disco#info or #items <query/>
//   >>> paid | >>> expired             the latest Checkout Session was paid / expired (a verified event)
//   @@@ wait 31m                       the clock moves on (s, m, h, d)
//   <<< reply                          the answer to an ad-hoc or disco request
//   <<< JID                            a message from the bot to JID (replies first, then notices)
import { readFileSync, writeFileSync } from 'node:fs';
import { type Backend, Kit, KIT_T0, SAMPLE_NUMBERS } from './kit.js';

const INPUT = /^>>> (chat|adhoc|disco) (\S+)$|^>>> (paid|expired)$/;
const WAIT = /^@@@ wait (\d+)([smhd])$/;
const UNIT = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

type Block =
  | { readonly kind: 'text'; readonly lines: string[] }
  | { readonly kind: 'input'; readonly header: string; readonly body: string[] }
  | { readonly kind: 'output'; readonly lines: string[] };

/** Split a fixture into kept text, inputs and (expected) outputs. */
function blocks(text: string): Block[] {
  const out: Block[] = [];
  const open = <B extends Block>(b: B): B => {
    out.push(b);
    return b;
  };
  let cur: Block | undefined;
  for (const line of text.replace(/\n+$/, '').split('\n')) {
    if (line.startsWith('>>> ')) {
      cur = open({ kind: 'input', header: line, body: [] });
    } else if (line.startsWith('<<< ')) {
      if (cur?.kind !== 'output') cur = open({ kind: 'output', lines: [] });
      cur.lines.push(line);
    } else if (line.startsWith('@@@ ') || line.startsWith('#') || cur === undefined || cur.kind === 'text') {
      if (cur?.kind !== 'text') cur = open({ kind: 'text', lines: [] });
      cur.lines.push(line);
    } else if (cur.kind === 'input') cur.body.push(line);
    else cur.lines.push(line);
  }
  return out;
}

const trimBlank = (lines: string[]) => {
  const l = [...lines];
  while (l.length && l[l.length - 1] === '') l.pop();
  return l;
};

/** Apply a settings or `given` line; returns the kit options it implies. */
function header(lines: readonly string[]): { admins: string[]; methods?: string[]; now: Date; given: string[][] } {
  const h: { admins: string[]; methods?: string[]; now: Date; given: string[][] } = { admins: [], now: KIT_T0, given: [] };
  for (const line of lines) {
    const [word, ...rest] = line.trim().split(/\s+/);
    if (!word || word.startsWith('#')) continue;
    if (word === 'clock') h.now = new Date(rest[0] ?? '');
    else if (word === 'admins') h.admins = rest;
    else if (word === 'methods') h.methods = (rest[0] ?? '').split(',');
    else if (word === 'given') h.given.push(rest);
    else throw new Error(`golden: unknown setting "${line}"`);
  }
  return h;
}

async function given(kit: Kit, g: readonly string[]): Promise<void> {
  const [what, jid = '', arg = ''] = g;
  const now = kit.clock.now;
  const usd = 'usd_monthly-v20261101';
  const since = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 2, 15)).toISOString().slice(0, 10);
  const plans: Record<string, [number, string][]> = {
    active: [
      [0, usd],
      [1, usd],
    ],
    trial: [
      [0, 'trial_first_month-v20261101'],
      [1, 'trial_second_month-v20261101'],
    ],
    expired: [
      [-2, usd],
      [-1, usd],
    ],
  };
  if (what === 'balance') return kit.backend.seed.balance(jid, Number(arg));
  const p = what ? plans[what] : undefined;
  if (!p) throw new Error(`golden: unknown "given ${g.join(' ')}"`);
  await kit.backend.seed.account(jid, arg, since, new Map(p), now);
}

/** Replay a fixture's text on a fresh kit over `backend`: the same text, with the bot's real answers. */
export async function replay(text: string, backend: Backend): Promise<string> {
  const bs = blocks(text);
  const first = bs[0]?.kind === 'text' ? bs[0].lines : [];
  const h = header(first.filter((l) => !l.startsWith('@@@')));
  const kit = new Kit(backend, { admins: h.admins, now: h.now, ...(h.methods ? { methods: h.methods } : {}) });
  await backend.seed.numbers(SAMPLE_NUMBERS);
  for (const g of h.given) await given(kit, g);
  const lastSession = new Map<string, string>();
  const out: string[] = [];
  for (const b of bs) {
    if (b.kind === 'output') continue;
    if (b.kind === 'text') {
      for (const line of b.lines) {
        const w = WAIT.exec(line);
        if (w) kit.clock.now = new Date(kit.clock.now.getTime() + Number(w[1]) * UNIT[w[2] as keyof typeof UNIT]);
      }
      out.push(...b.lines);
      continue;
    }
    const m = INPUT.exec(b.header);
    if (!m) throw new Error(`golden: cannot read "${b.header}"`);
    const body = trimBlank(b.body);
    out.push(b.header, ...body);
    const [, ui, from = '', event] = m;
    if (event) {
      await kit.checkoutEvent(event === 'paid' ? 'checkout.session.completed' : 'checkout.session.expired');
    } else if (ui === 'chat') {
      for (const msg of await kit.chat(from, body.join('\n'))) out.push(`<<< ${msg.to}`, ...msg.body.split('\n'));
    } else {
      const xmlText = body
        .join('\n')
        .replace(/sessionid='\$last(?::([^']+))?'/g, (_all, of?: string) => `sessionid='${lastSession.get(of ?? from) ?? ''}'`);
      const reply = ui === 'adhoc' ? await kit.adhoc(from, xmlText) : await kit.disco(from, xmlText);
      const sid = /sessionid='([^']+)'/.exec(reply)?.[1];
      if (ui === 'adhoc' && sid) lastSession.set(from, sid);
      out.push('<<< reply', ...reply.split('\n'));
    }
    for (const n of await kit.takeSent()) out.push(`<<< ${n.to}`, ...n.body.split('\n'));
    out.push('');
  }
  return `${trimBlank(out).join('\n')}\n`;
}

/** Replay a fixture file; with UPDATE_GOLDEN=1 also write the real transcript back to it. */
export async function replayFile(path: string, backend: Backend): Promise<{ expected: string; actual: string }> {
  const expected = readFileSync(path, 'utf8');
  const actual = await replay(expected, backend);
  if (process.env.UPDATE_GOLDEN === '1' && actual !== expected) writeFileSync(path, actual);
  return { expected, actual };
}
