// Chat fallback: a message body → the runtime → reply messages. Renders the same command graph as ad-hoc.
// Only the chat transport lives here: which question a message answers, control words, stale replies, and the
// message text; the session lifecycle is the runtime's.
import { canRun, offered } from '../commands/access.js';
import { type AccountState, webChoiceOf } from '../domain/account-state.js';
import type { Command, FormView, Requester, View } from '../commands/contract.js';
import type { RawValues } from '../forms/types.js';
import { CommandError } from '../domain/errors.js';
import type { Turn } from '../runtime/engine.js';
import type { Live, Runtime, TurnScope } from '../runtime/runtime.js';
import type { ChatMark, Session } from '../runtime/session.js';
import { nextQuestion } from './question.js';
import { chatSay, type Say, viewText } from './render.js';
import { namesChoice, needsWords, parseReply, reservedWord } from './reply.js';
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
const UNREADABLE = 'I could not continue that conversation after an update. Let us start again.';
const STALE = 'That menu has changed since you saw it, so I did nothing. Here it is again:';
const WELCOME = 'Welcome to the account bot: I can get you a phone number for this address, and look after your account.';

/** One chat exchange: who, their turn scope, and how text is spelled. */
interface Chat {
  readonly rt: Runtime;
  readonly turn: TurnScope;
  readonly who: Requester;
  readonly key: { readonly chat: string };
  readonly say: Say;
}

export async function handleChat(rt: Runtime, msg: Incoming): Promise<Outgoing[]> {
  const who = rt.requester(msg.from);
  try {
    return await rt.run('chat', (turn) => converse({ rt, turn, who, key: { chat: who.bare }, say: chatSay(rt.registry) }, msg));
  } catch (err) {
    if (err instanceof CommandError) return [out({ rt, who }, sentenceFor(err.condition))];
    throw err;
  }
}

function out(c: Pick<Chat, 'rt' | 'who'>, body: string): Outgoing {
  return { to: c.who.jid, id: c.rt.deps.newId(), body };
}

async function converse(c: Chat, msg: Incoming): Promise<Outgoing[]> {
  const word = reservedWord(msg.body);
  const loaded = await c.turn.load(c.who, c.key, undefined, word === 'cancel');
  if (loaded.kind === 'none') return startFresh(c, msg.body, [], loaded.firstContact);
  // Two messages at once: the first is being answered, and its answer is the menu to reply to.
  if (loaded.kind === 'busy') return [out(c, 'One moment: I am still answering your previous message.')];
  if (loaded.kind === 'expired' || loaded.kind === 'unreadable') {
    return startFresh(c, word ? '' : msg.body, [loaded.kind === 'expired' ? TIMED_OUT : UNREADABLE]);
  }
  const { session } = loaded;
  // The web site chose a number since this menu was shown: a lone y or n answers the site's message.
  if (/^\s*[yn]\s*$/i.test(msg.body) && (await answersWebChoice(c, session))) {
    await c.turn.drop(c.who, c.key, loaded);
    return startFresh(c, msg.body, []);
  }
  // cancel and menu mean the same whatever menu they answer; anything else quoting an older menu is not acted on.
  if (word !== 'cancel' && word !== 'menu' && isStale(session, msg)) return show(c, loaded, [STALE]);

  // Control words, then command words, win over whatever the current form asks.
  switch (word) {
    case 'cancel':
      return respond(c, await c.turn.act(c.who, c.key, loaded, { action: 'cancel' }, mark(c)), []);
    case 'back':
      if (!session.history.length) return show(c, loaded, ['This is the first step: reply cancel to stop.']);
      return respond(c, await c.turn.act(c.who, c.key, loaded, { action: 'prev' }, mark(c)), []);
    case 'help':
      return show(c, loaded, [`Reply with one of the choices below, or back or cancel. ${await otherCommands(c)}`]);
    case 'menu':
      await c.turn.drop(c.who, c.key, loaded);
      return startFresh(c, 'menu', []);
    case undefined:
      break;
  }
  const answers = session.chat?.answers ?? {};
  const q = nextQuestion(session.shown, answers);
  const asked = c.rt.registry.byChatWord(msg.body);
  // A one-letter shortcut (`n`, `u`) never takes a reply the current question understands ("n" to "y or n").
  const shortcut = asked && /^\s*\p{L}\s*$/u.test(msg.body) && q && parseReply(q, msg.body).kind === 'value';
  if (asked && !shortcut) {
    if (!canRun(asked, c.who, await c.turn.deps.accountState(c.who.bare))) return show(c, loaded, [notYours(msg.body)]);
    await c.turn.drop(c.who, c.key, loaded);
    return begin(c, asked, msg.body, []);
  }

  if (!q) return show(c, loaded, [`Reply back or cancel. ${await otherCommands(c)}`]);
  // The session keeps the choices' values, not their words: a reply that may name one by its words is read
  // against the step as it shows now. If that is no longer the menu this person saw, the reply does not say which
  // menu it meant, unless it is typed text where typing is allowed (a city at the number list): that is read as typed.
  const now = needsWords(q, msg.body) ? await c.turn.again(c.who, loaded) : undefined;
  const worded = now?.view.kind === 'form' ? nextQuestion(now.view, answers) : undefined;
  const same = now?.session?.fingerprint === session.fingerprint;
  if (now && !same) {
    const typed = q.type === 'list-single' && q.open === true && worded !== undefined && !namesChoice(worded, msg.body);
    if (!typed) return show(c, loaded, [STALE], undefined, now);
  }
  const parsed = parseReply(worded && same ? worded : q, msg.body);
  if (parsed.kind === 'invalid') return show(c, loaded, [parsed.sentence], answers, now);
  if (parsed.kind === 'reserved') throw new Error('control words are handled above');
  const all = { ...answers, [q.var]: parsed.values };
  // More to answer: asked from the menu as it shows now (a changed one starts again, saying so).
  if (nextQuestion(session.shown, all)) return show(c, loaded, now && !same ? [STALE] : [], all, now);
  return respond(c, await c.turn.act(c.who, c.key, loaded, { action: 'execute', values: withHidden(session.shown, all) }, mark(c)), []);
}

/**
 * A reply to another menu than the current one: the client quoted (XEP-0461) a message whose id carries
 * another menu's fingerprint, or the message was written before the current menu was sent (XEP-0203).
 */
function isStale(session: Session, msg: Incoming): boolean {
  const m = session.chat;
  if (!m) return false;
  if (msg.replyTo !== undefined && !msg.replyTo.startsWith(`${session.fingerprint}.`)) return true;
  return msg.sentAt !== undefined && msg.sentAt < m.shownAt;
}

/**
 * No conversation going on: what the message starts is the registry's decision (command words, then openers).
 * Someone writing for the first time is welcomed first.
 */
async function startFresh(c: Chat, body: string, lead: string[], first?: boolean): Promise<Outgoing[]> {
  // Whether this is the person's first message was asked with the take, unless there was a session to take.
  const welcome = first === undefined ? c.rt.firstContact(c.who) : Promise.resolve(first);
  // Awaited below; until then a failure must not count as unhandled.
  welcome.catch(() => undefined);
  const greeting = async () => ((await welcome) ? [WELCOME] : []);
  const word = reservedWord(body);
  const state = await c.turn.deps.accountState(c.who.bare);
  const onCancel = word === 'cancel' ? c.rt.registry.cancelEntry(c.who, state) : undefined;
  if (!onCancel && (word === 'cancel' || word === 'back')) {
    const nothing = `Nothing is open, so there is nothing to ${word === 'cancel' ? 'cancel' : 'go back to'}. Send help to see what you can do.`;
    return [out(c, [...(await greeting()), ...lead, nothing].join('\n'))];
  }
  const cmd = onCancel ?? c.rt.registry.chatEntry(body, c.who, state);
  // The welcome check goes out with the start's own first reads: one round trip for both.
  return begin(c, cmd, body, greeting(), lead, state);
}

/**
 * Start `cmd` from the message `body`, which may also give its first answers: what follows a command word that
 * reads it (`u 20261101 20261130`), or, given the account `state` that opened it, the reply to a message the bot
 * sent ("Reply yes" to an offer).
 */
async function begin(
  c: Chat,
  cmd: Command,
  body: string,
  hello: Promise<string[]> | string[],
  lead: string[] = [],
  state?: AccountState,
): Promise<Outgoing[]> {
  const [turn, hi] = await Promise.all([c.turn.start(c.who, cmd, c.key, mark(c)), hello]);
  const heads = [...hi, ...lead];
  if (!turn.session) return respond(c, turn, heads);
  const answers = turn.view.kind === 'form' ? firstAnswers(c, cmd, turn.view, body, state) : undefined;
  if (!answers) return respond(c, turn, heads);
  const live = { kind: 'live' as const, cmd, session: turn.session };
  if ('error' in answers && typeof answers.error === 'string') return show(c, live, [...heads, answers.error], undefined, turn);
  const values = withHidden(turn.session.shown, answers as RawValues);
  return respond(c, await c.turn.act(c.who, c.key, live, { action: 'execute', values }, mark(c)), heads);
}

/** The answers a starting message gives to its command's first step, if any (see begin). */
function firstAnswers(
  c: Chat,
  cmd: Command,
  view: FormView,
  body: string,
  state: AccountState | undefined,
): RawValues | { readonly error: string } | undefined {
  if (cmd.chatArgs && c.rt.registry.byChatWord(body) === cmd) return cmd.chatArgs(body.trim().replace(/^\S+\s*/, ''));
  const q = state && cmd.answersOpener(state) ? nextQuestion(view, {}) : undefined;
  const answer = q ? parseReply(q, body) : undefined;
  return q && answer?.kind === 'value' ? { [q.var]: answer.values } : undefined;
}

async function answersWebChoice(c: Chat, session: Session): Promise<boolean> {
  const web = webChoiceOf(await c.turn.deps.accountState(c.who.bare));
  return web !== undefined && web.at > (session.chat?.shownAt ?? Number.POSITIVE_INFINITY);
}

/** Chat asks no hidden field: its value goes back as shown, as an ad-hoc client echoes it. */
function withHidden(shown: Session['shown'], values: RawValues): RawValues {
  const hidden = shown.form.fields.flatMap((f) => (f.type === 'hidden' && !(f.var in values) ? [[f.var, [f.value]] as const] : []));
  return hidden.length ? { ...Object.fromEntries(hidden), ...values } : values;
}

/** "You can also send: …": the words of the commands this person is offered, for help mid-conversation. */
async function otherCommands(c: Chat): Promise<string> {
  const state = await c.turn.deps.accountState(c.who.bare);
  const words = offered(c.rt.registry.commands, c.who, state).flatMap((cmd) => cmd.chatWords.slice(0, 1));
  return `You can also send: ${[...words, 'menu'].join(', ')}.`;
}

const notYours = (word: string) => `“${word.trim()}” is not something you can do here yet. Reply to the question below, or send menu.`;

/**
 * Which message shows the session's menu: its id starts with the menu's fingerprint, so a quoted reply says
 * which menu it answers. Stored with the session, before the message is sent. `answers`: what was already
 * answered of this form (asked one field per message); a new step starts with none.
 */
function mark(c: Chat, answers?: ChatMark['answers']): (s: Session) => Session {
  return (s) => ({
    ...s,
    chat: { messageId: `${s.fingerprint}.${c.rt.deps.newId()}`, shownAt: c.rt.deps.now().getTime(), ...(answers ? { answers } : {}) },
  });
}

function respond(c: Chat, turn: Turn, lead: string[]): Outgoing[] {
  if (!turn.session) return [out(c, [...lead, viewText(turn.view, undefined, false, c.say)].join('\n'))];
  return [message(c, turn.session, turn.view, [...lead, ...(turn.notes ?? []).map((n) => c.say(n.text))])];
}

/**
 * Show the current question again (after a bad reply, help, or a partial answer), marked anew: the step's view
 * as it is now (`now`, when it was just run), with `answers` kept if it still asks what it asked.
 */
async function show(c: Chat, live: Live, lead: string[], answers = live.session.chat?.answers, now?: Turn): Promise<Outgoing[]> {
  const turn = now ?? (await c.turn.again(c.who, live));
  if (!turn.session) {
    // The step has nothing to ask any more (what it offered is gone): the conversation ends with what it says.
    await c.turn.drop(c.who, c.key, live);
    return respond(c, turn, lead);
  }
  const same = turn.session.fingerprint === live.session.fingerprint;
  const marked = mark(c, same ? answers : undefined)(turn.session);
  await c.turn.remember(c.key, marked);
  return [message(c, marked, turn.view, lead)];
}

function message(c: Chat, session: Session, view: View, lead: string[]): Outgoing {
  // The view's own fields (with their words) ask what the session's do: the session keeps them from this view.
  const q = view.kind === 'form' ? nextQuestion(view, session.chat?.answers ?? {}) : undefined;
  const body = [...lead, viewText(view, q, session.history.length > 0, c.say)].join('\n');
  return { to: c.who.jid, id: session.chat?.messageId ?? c.rt.deps.newId(), body };
}
