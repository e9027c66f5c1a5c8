// XEP-0050 §3.4–3.5: one Turn → one <command/> (status, actions, notes, form). The only place this XML is built.
import type { Turn } from '../commands/engine.js';
import { allowedActions } from '../commands/engine.js';
import type { Note } from '../commands/types.js';
import { toDataForm } from '../forms/dataform.js';
import { xml, type Element } from '../xmpp/xml.js';
import { NS_COMMANDS, NS_OOB } from './ns.js';

function noteElement(n: Note): Element {
  return xml('note', { type: n.type }, n.text);
}

export function commandElement(node: string, sessionid: string | undefined, turn: Turn): Element {
  const { view, session } = turn;
  if (view.kind === 'done' || !session) {
    const notes = view.kind === 'done' ? view.notes : [];
    return xml(
      'command',
      { xmlns: NS_COMMANDS, node, sessionid, status: turn.status },
      ...notes.filter((n) => n.text).map(noteElement),
      view.kind === 'done' && view.result ? toDataForm(view.result, 'result') : null,
      // XEP-0066 in the command payload: Cheogram opens the link in place.
      view.kind === 'done' && view.link ? xml('x', { xmlns: NS_OOB }, xml('url', {}, view.link.url), xml('desc', {}, view.link.description)) : null,
    );
  }
  const actions = allowedActions(session);
  return xml(
    'command',
    { xmlns: NS_COMMANDS, node, sessionid: session.id, status: 'executing' },
    xml('actions', { execute: view.defaultAction }, ...actions.map((a) => xml(a))),
    ...(view.notes ?? []).map(noteElement),
    toDataForm(view.form, 'form'),
  );
}
