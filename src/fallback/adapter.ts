// Chat fallback: a message body → the engine → reply messages. Renders the same command graph as ad-hoc.
import { abandon, begin, isExpired, proceed, type Turn } from '../commands/engine.js';
import { CommandError } from '../commands/errors.js';
import { canRun } from '../commands/access.js';
import type { Session } from '../commands/session.js';
import type { Command, Ctx, Requester } from '../commands/types.js';
import { ctxFor, requester, turnDeps, type Core } from '../core.js';
import { nextQuestion } from './question.js';
import { viewText } from './render.js';
import { parseReply, reservedWord } from './reply.js';
import { sentenceFor } from './sentences.js';

export interface Incoming {
  readonly from: string;
  readonly body: string;
  /** XEP-0461: the id of the message this one replies to, if the client said. */
  readonly replyTo?: string;
  /** XEP-0203: when the message was really sent, if it was delayed (ms since epoch). */
  readonly sentAt?: number;
}

export interface Outgoing {
  readonly to: string;
  readonly id: string;
  readonly body: string;
}

const TIMED_OUT = 'That conversation timed out, so I let go of anything it held. Let us start again.';
const STALE = 'That menu has changed since you saw it, so I did nothing. Here it is again:';

export async function handleChat(shared: Core, msg: Incoming): Promise<Outgoing[]> {
  const core: Core = { ...shared, deps: turnDeps(shared.deps) };
  const who = requester(core, msg.from);
  try {
    return await converse(core, who, msg);
  } catch (err) {
    if (err instanceof CommandError) return [out(core, who, sentenceFor(err.condition))];
    throw err;
  }
}

function out(core: Core, who: Requester, body: string): Outgoing {
  return { to: who.jid, id: core.deps.newId(), body };
}

async function converse(core: Core, who: Requester, msg: Incoming): Promise<Outgoing[]> {
  const key = { chat: who.bare };
  // The account state most steps need is fetched in the same round trip as the session.
  const [session] = await Promise.all([core.sessions.get(key), core.deps.accountState(who.bare)]);
  const cmd = session ? core.registry.get(session.node) : undefined;
  if (!session || !cmd) return startFresh(core, who, msg.body, []);
  const ctx = ctxFor(core.deps, who, session.id);
  if (isExpired(session, core.deps.now())) {
    await drop(core, cmd, session, ctx);
    return startFresh(core, who, reservedWord(msg.body) ? '' : msg.body, [TIMED_OUT]);
  }
  if (isStale(session, msg)) return show(core, who, session, [STALE]);

  const answers = session.chat?.answers ?? {};
  const q = nextQuestion(session.shown, answers);
  const parsed = q ? parseReply(q, msg.body) : { kind: 'reserved' as const, word: reservedWord(msg.body) ?? ('help' as const) };
  if (parsed.kind === 'invalid') return show(core, who, session, [parsed.sentence]);
  if (parsed.kind === 'reserved') {
    switch (parsed.word) {
      case 'cancel':
        return respond(core, who, await proceed(cmd, session, { action: 'cancel' }, ctx), [], true);
      case 'back':
        if (!session.history.length) return show(core, who, session, ['This is the first step: reply cancel to stop.']);
        return respond(core, who, await proceed(cmd, session, { action: 'prev' }, ctx), [], true);
      case 'help':
        return show(core, who, session, ['Reply with one of the choices below, or back, cancel, or menu.']);
      case 'menu':
        await drop(core, cmd, session, ctx);
        return startFresh(core, who, 'menu', []);
    }
  }
  const all = { ...answers, [q!.var]: parsed.values };
  if (nextQuestion(session.shown, all)) {
    const asked = { ...session, chat: { messageId: session.chat?.messageId ?? '', shownAt: session.chat?.shownAt ?? 0, answers: all } };
    return show(core, who, asked, []);
  }
  const turn = await proceed(cmd, session, { action: 'execute', values: all }, ctx);
  return respond(core, who, turn, [], true);
}

/** End a conversation without finishing it: let go of what it holds, forget it. */
async function drop(core: Core, cmd: Command, session: Session, ctx: Ctx): Promise<void> {
  await abandon(cmd, session, ctx);
  core.sessions.deleteSoon({ chat: ctx.who.bare });
}

/**
 * A reply to another menu than the current one: the client quoted (XEP-0461) a message whose id carries
 * another menu's fingerprint, or the message was written before the current menu was sent (XEP-0203).
 */
function isStale(session: Session, msg: Incoming): boolean {
  const mark = session.chat;
  if (!mark) return false;
  if (msg.replyTo !== undefined && !msg.replyTo.startsWith(`${session.fingerprint}.`)) return true;
  return msg.sentAt !== undefined && msg.sentAt < mark.shownAt;
}

/** No conversation going on: a chat word starts its command; newcomers get signup, everyone else the menu. */
async function startFresh(core: Core, who: Requester, body: string, lead: string[]): Promise<Outgoing[]> {
  const state = await core.deps.accountState(who.bare);
  const asked = core.registry.byChatWord(body);
  const fallback = state.kind === 'new' || state.kind === 'paid-unregistered' || state.kind === 'pending' ? 'jabber:iq:register' : 'menu';
  const cmd = asked && canRun(asked, who, state) ? asked : core.registry.get(fallback);
  if (!cmd) throw new Error(`no ${fallback} command registered`);
  return beginChat(core, who, cmd, lead);
}

async function beginChat(core: Core, who: Requester, cmd: Command, lead: string[]): Promise<Outgoing[]> {
  const id = core.deps.newId();
  const turn = await begin(cmd, ctxFor(core.deps, who, id), who.bare);
  return respond(core, who, turn, lead, false);
}

async function respond(core: Core, who: Requester, turn: Turn, lead: string[], stored: boolean): Promise<Outgoing[]> {
  const key = { chat: who.bare };
  if (turn.switchTo) {
    const next = core.registry.get(turn.switchTo);
    if (stored) core.sessions.deleteSoon(key);
    if (next) return beginChat(core, who, next, lead);
  }
  if (!turn.session) {
    if (stored) core.sessions.deleteSoon(key);
    return [out(core, who, [...lead, viewText(turn.view, undefined, false)].join('\n'))];
  }
  return show(core, who, turn.session, lead);
}

/** Send the session's current question and remember which message showed it. */
function show(core: Core, who: Requester, session: Session, lead: string[]): Outgoing[] {
  // The message id starts with the menu's fingerprint, so a quoted reply says which menu it answers.
  const id = `${session.fingerprint}.${core.deps.newId()}`;
  const q = nextQuestion(session.shown, session.chat?.answers ?? {});
  const body = [...lead, viewText(session.shown, q, session.history.length > 0)].join('\n');
  const now = core.deps.now();
  const saved: Session = { ...session, chat: { ...session.chat, messageId: id, shownAt: now.getTime() } };
  core.sessions.saveSoon({ chat: who.bare }, saved, now);
  return [{ to: who.jid, id, body }];
}
