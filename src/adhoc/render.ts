// XEP-0050 §3.4–3.5: one Turn → one <command/> (status, actions, notes, form). The only place this XML is built.
import type { Note } from '../commands/contract.js';
import type { Registry } from '../commands/registry.js';
import { spell, type Text } from '../domain/text.js';
import { toDataForm } from '../forms/dataform.js';
import { tableLines } from '../forms/table.js';
import type { Field, Form } from '../forms/types.js';
import { allowedActions, type Turn } from '../runtime/engine.js';
import { type Element, xml } from '../xmpp/xml.js';
import { NS_COMMANDS, NS_OOB } from './ns.js';

/** Text for ad-hoc users: another command is named by its name, which their client lists. */
export function adhocText(registry: Registry, t: Text): string {
  return spell(t, (r) => {
    const name = registry.get(r.command)?.name ?? r.command;
    return `${r.capital ? 'Run' : 'run'} the “${name}” command`;
  });
}

/**
 * A result with a table also says it all in fixed fields: Poezio shows a result form's fields, but neither its
 * <reported/> table nor the command's notes (it adds notes as fixed fields with no var, which show empty;
 * checked with Poezio 0.14). Gajim shows both.
 */
function withText(registry: Registry, result: Form, notes: readonly Note[]): Form {
  if (!result.table) return result;
  const lines = [...notes.map((n) => adhocText(registry, n.text)), ...tableLines(result.table)];
  // Each with a var of its own: Poezio keeps a form's fields by var, so fixed fields without one collapse into one.
  return { ...result, fields: [...lines.map((value, i): Field => ({ type: 'fixed', var: `line_${i + 1}`, value })), ...result.fields] };
}

function noteElement(registry: Registry, n: Note): Element {
  return xml('note', { type: n.type }, adhocText(registry, n.text));
}

export function commandElement(registry: Registry, node: string, sessionid: string | undefined, turn: Turn): Element {
  const { view, session } = turn;
  if (view.kind === 'done' || !session) {
    const notes = view.kind === 'done' ? view.notes : [];
    return xml(
      'command',
      { xmlns: NS_COMMANDS, node, sessionid, status: turn.status },
      ...notes.filter((n) => n.text.length).map((n) => noteElement(registry, n)),
      view.kind === 'done' && view.result ? toDataForm(withText(registry, view.result, notes), 'result') : null,
      // XEP-0066 in the command payload: Cheogram opens the link in place.
      view.kind === 'done' && view.link
        ? xml('x', { xmlns: NS_OOB }, xml('url', {}, view.link.url), xml('desc', {}, view.link.description))
        : null,
    );
  }
  const notes = [...(turn.notes ?? []), ...(view.notes ?? [])];
  // Profanity shows no <note> on an executing stage: what went wrong is also the form's first (fixed) field.
  const alerts: Field[] = notes
    .filter((n) => n.type !== 'info')
    .map((n, i) => ({ type: 'fixed', var: `note_${i + 1}`, value: adhocText(registry, n.text) }));
  return xml(
    'command',
    { xmlns: NS_COMMANDS, node, sessionid: session.id, status: 'executing' },
    xml('actions', { execute: view.defaultAction }, ...allowedActions(session).map((a) => xml(a))),
    ...notes.map((n) => noteElement(registry, n)),
    toDataForm(alerts.length ? { ...view.form, fields: [...alerts, ...view.form.fields] } : view.form, 'form'),
  );
}
