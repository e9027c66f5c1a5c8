// XEP-0050 §3–4: a <command/> request → the runtime → a <command/> reply or an <error/>. Only the transport
// lives here: reading the request, and which XEP-0050 error each runtime answer is. No business or session rule.
import { CommandError } from '../domain/errors.js';
import { NS_DATA, parseDataForm } from '../forms/dataform.js';
import { ACTIONS, type Action } from '../runtime/engine.js';
import type { Runtime } from '../runtime/runtime.js';
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
export async function handleCommand(rt: Runtime, from: string, el: Element): Promise<Element> {
  try {
    return await run(rt, from, el);
  } catch (err) {
    if (err instanceof CommandError) return errorElement(err.condition, err.userText);
    throw err;
  }
}

async function run(rt: Runtime, from: string, el: Element): Promise<Element> {
  const node = (el.attrs.node as string | undefined) ?? '';
  const action = readAction(el);
  const sessionid = el.attrs.sessionid as string | undefined;
  const who = rt.requester(from);
  const cmd = rt.registry.get(node);
  if (!cmd || cmd.chatOnly) throw new CommandError('item-not-found');
  return rt.run('adhoc', async (turn) => {
    if (!sessionid) {
      if (action === 'cancel')
        return commandElement(rt.registry, node, undefined, { status: 'canceled', view: { kind: 'done', notes: [] } });
      if (action !== 'execute') throw new CommandError('bad-action');
      const key = { adhoc: rt.deps.newId() };
      return commandElement(rt.registry, node, key.adhoc, await turn.start(who, cmd, key));
    }

    const key = { adhoc: sessionid };
    // Someone else's session, or another command's, is indistinguishable from an unknown one.
    const x = el.getChild('x', NS_DATA);
    const loaded = await turn.load(who, key, node, action === 'cancel' || x?.attrs.type === 'cancel');
    if (loaded.kind === 'expired' || loaded.kind === 'unreadable') throw new CommandError('session-expired');
    if (loaded.kind === 'none') throw new CommandError('bad-sessionid');
    // A second request at once on this session: the first one answers with the next stage.
    if (loaded.kind === 'busy') throw new CommandError('bad-sessionid', 'That step is already being answered.');
    const form = x ? parseDataForm(x) : undefined;
    if (x && !form) throw new CommandError('bad-payload');
    const input = { action: form?.type === 'cancel' ? ('cancel' as const) : action, ...(form ? { values: form.values } : {}) };
    return commandElement(rt.registry, node, sessionid, await turn.act(who, key, loaded, input));
  });
}
