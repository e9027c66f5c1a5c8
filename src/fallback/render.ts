// A step as one chat message: lettered menus, "reply y to confirm", prompts. Pure.
import type { DoneView, FormView, Note, View } from '../commands/contract.js';
import type { Registry } from '../commands/registry.js';
import { spell, type Text } from '../domain/text.js';
import { tableLines } from '../forms/table.js';
import { isInputField } from '../forms/types.js';
import type { Question } from './question.js';

/** How chat spells text: another command is named by the word to send. */
export type Say = (t: Text) => string;

export function chatSay(registry: Registry): Say {
  return (t) => spell(t, (r) => `${r.capital ? 'Send' : 'send'} "${r.word ?? registry.wordOf(r.command) ?? r.command}"`);
}

export const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

function noteLines(notes: readonly Note[] | undefined, say: Say): string[] {
  return (notes ?? []).map((n) => say(n.text)).filter(Boolean);
}

function doneText(view: DoneView, say: Say): string {
  const lines = noteLines(view.notes, say);
  for (const f of view.result?.fields ?? []) {
    const v = f.value;
    if (v === undefined) continue;
    const shown = typeof v === 'boolean' ? (v ? 'yes' : 'no') : typeof v === 'string' ? v : v.join(', ');
    lines.push(f.label ? `${f.label}: ${shown}` : shown);
  }
  if (view.result?.table) lines.push(...tableLines(view.result.table));
  // Chat has no payload for links: the URL goes on its own line (clients make it clickable).
  if (view.link && !lines.some((l) => l.includes(view.link?.url ?? ''))) lines.push(view.link.url);
  return lines.join('\n') || 'Done.';
}

function footer(q: Question, canGoBack: boolean): string {
  const back = canGoBack ? ', or back' : '';
  switch (q.type) {
    case 'boolean':
      return `Reply y to confirm${canGoBack ? ', or back' : ', or n for no'}.`;
    case 'list-single':
    case 'list-multi': {
      const several = q.type === 'list-multi' ? ' (several, separated by commas)' : '';
      const typed = q.type === 'list-single' && q.open ? `, or type ${q.typed ?? 'your own'}` : '';
      return `Reply with a letter${several}${typed}${back}.`;
    }
    default:
      return `Type your answer${back}, or cancel.`;
  }
}

/** The message for a form step asking `q`. */
export function formText(view: FormView, q: Question, canGoBack: boolean, say: Say): string {
  const lines = noteLines(view.notes, say);
  const isList = q.type === 'list-single' || q.type === 'list-multi';
  // A form of several questions, asked one per message, names the question too (the title alone says what it is for).
  const several = view.form.fields.filter((f) => isInputField(f) && f.required).length > 1;
  const heading =
    several && q.label
      ? [view.form.title, q.label]
          .filter(Boolean)
          .map((t) => t?.replace(/[:.]$/, ''))
          .join('. ')
      : view.form.title;
  if (heading && isList) lines.push(/[?:.!]$/.test(heading) ? heading : `${heading}:`);
  if (isList) for (const [i, o] of q.options.entries()) lines.push(`${LETTERS[i] ?? String(i + 1)}) ${o.label}`);
  lines.push(...(view.form.instructions ?? []));
  // Fixed fields are text the form shows between its questions (a payment summary).
  for (const f of view.form.fields) if (f.type === 'fixed' && f.value) lines.push(f.value);
  if (q.type === 'boolean') lines.push(q.label ?? 'Confirm?');
  else if (!isList) lines.push(`${q.label ?? q.var}?`);
  lines.push(footer(q, canGoBack));
  return lines.join('\n');
}

export function viewText(view: View, q: Question | undefined, canGoBack: boolean, say: Say): string {
  if (view.kind === 'done' || !q) return view.kind === 'done' ? doneText(view, say) : noteLines(view.notes, say).join('\n');
  return formText(view, q, canGoBack, say);
}
