// XEP-0050 §3–4: a <command/> request → the engine → a <command/> reply or an <error/>. No business rules here.
import { begin, proceed, type Turn } from '../commands/engine.js';
import { CommandError } from '../commands/errors.js';
import { canRun } from '../commands/access.js';
import { ACTIONS, type Action } from '../commands/types.js';
import { parseDataForm, NS_DATA } from '../forms/dataform.js';
import { ctxFor, requester, turnDeps, type Core } from '../core.js';
import { errorElement } from '../xmpp/errors.js';
import type { Element } from '../xmpp/xml.js';
import { commandElement } from './render.js';

function readAction(el: Element): Action {
  const a = el.attrs.action as string | undefined;
  if (a === undefined || a === '') return 'execute'; // XEP-0050 §3.4: no action means execute (Profanity does this)
  if (!(ACTIONS as readonly string[]).includes(a)) throw new CommandError('malformed-action');
  return a as Action;
}

/** Handle one command request from `from` (the server-stamped full JID). Returns <command/> or <error/>. */
export async function handleCommand(core: Core, from: string, el: Element): Promise<Element> {
  try {
    return await run(core, from, el);
  } catch (err) {
    if (err instanceof CommandError) return errorElement(err.condition, err.userText);
    throw err;
  }
}

async function run(core: Core, from: string, el: Element): Promise<Element> {
  const node = (el.attrs.node as string | undefined) ?? '';
  const action = readAction(el);
  const sessionid = el.attrs.sessionid as string | undefined;
  const who = requester(core, from);
  const cmd = core.registry.get(node);
  if (!cmd || cmd.chatOnly) throw new CommandError('item-not-found');
  const deps = turnDeps(core.deps);

  if (!sessionid) {
    if (action === 'cancel') return commandElement(node, undefined, { status: 'canceled', view: { kind: 'done', notes: [] } });
    if (action !== 'execute') throw new CommandError('bad-action');
    const id = core.deps.newId();
    // The first view only reads, so it runs alongside the access check: one round trip for both.
    const [state, turn] = await Promise.all([deps.accountState(who.bare), begin(cmd, ctxFor(deps, who, id), who.jid)]);
    if (!canRun(cmd, who, state)) throw new CommandError('forbidden');
    return reply(core, node, id, turn, false);
  }

  // The account state most steps need is fetched in the same round trip as the session.
  const [session] = await Promise.all([core.sessions.get({ adhoc: sessionid }), deps.accountState(who.bare)]);
  // Someone else's session is indistinguishable from an unknown one.
  if (!session || session.owner !== who.jid || session.node !== node) throw new CommandError('bad-sessionid');
  const ctx = ctxFor(deps, who, session.id);
  const x = el.getChild('x', NS_DATA);
  const form = x ? parseDataForm(x) : undefined;
  if (x && !form) throw new CommandError('bad-payload');
  let turn: Turn;
  try {
    turn = await proceed(cmd, session, { action: form?.type === 'cancel' ? 'cancel' : action, ...(form ? { values: form.values } : {}) }, ctx);
  } catch (err) {
    if (err instanceof CommandError && err.condition === 'session-expired') core.sessions.deleteSoon({ adhoc: session.id });
    throw err;
  }
  return reply(core, node, session.id, turn, true);
}

function reply(core: Core, node: string, id: string, turn: Turn, stored: boolean): Element {
  if (turn.session) core.sessions.saveSoon({ adhoc: id }, turn.session, core.deps.now());
  else if (stored) core.sessions.deleteSoon({ adhoc: id });
  return commandElement(node, id, turn);
}

