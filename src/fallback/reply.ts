// A chat reply → a field value: a letter, the option's number, its value, or a unique prefix of its label. Pure.
import { CHAT_CONTROL_WORDS } from '../commands/registry.js';
import { parseBoolean } from '../forms/validate.js';
import { LETTERS } from './render.js';
import type { Question } from './question.js';

/** Words chat understands at every step: the control words, and the menu's own words (it is asked for help). */
export const RESERVED = [...CHAT_CONTROL_WORDS, 'help', 'menu'] as const;
export type Reserved = (typeof RESERVED)[number];

export type Parsed =
  | { readonly kind: 'value'; readonly values: readonly string[] }
  | { readonly kind: 'reserved'; readonly word: Reserved }
  | { readonly kind: 'invalid'; readonly sentence: string };

const YES = ['y', 'yes', 'ok', 'confirm'];
const NO = ['n', 'no'];

export function reservedWord(text: string): Reserved | undefined {
  const t = text.trim().toLowerCase();
  return (RESERVED as readonly string[]).includes(t) ? (t as Reserved) : undefined;
}

/**
 * The option a reply picks; 'ambiguous' when a label prefix fits several, 'out-of-range' for a letter or an
 * option number the menu does not have (never read as typed text, even where typing one's own is allowed).
 */
function pickOption(q: Extract<Question, { options: unknown }>, raw: string): string | undefined | 'ambiguous' | 'out-of-range' {
  const t = raw.trim().replace(/[).]$/, '').trim();
  const lower = t.toLowerCase();
  const opts = q.options;
  if (/^[a-z]$/.test(lower)) return opts[LETTERS.indexOf(lower)]?.value ?? 'out-of-range';
  if (/^\d{1,2}$/.test(t)) return opts[Number(t) - 1]?.value ?? 'out-of-range';
  // A label is '' in a form kept without its words (a session's): it matches nothing.
  const exact = opts.find((o) => o.value === t || o.value.toLowerCase() === lower || (o.label !== '' && o.label.toLowerCase() === lower));
  if (exact) return exact.value;
  if (lower.length >= 2) {
    const byPrefix = opts.filter(
      (o) => (o.label !== '' && o.label.toLowerCase().startsWith(lower)) || o.value.toLowerCase().startsWith(lower),
    );
    if (byPrefix.length === 1) return byPrefix[0]?.value;
    if (byPrefix.length > 1) return 'ambiguous';
  }
  return undefined;
}

/**
 * Whether reading `text` needs the choices' words (their labels), which a session does not keep: it is not a
 * control word, nor a letter, a number or the value of a choice (a list-multi: any of its parts).
 */
export function needsWords(q: Question, text: string): boolean {
  if (!('options' in q) || reservedWord(text)) return false;
  return choiceParts(q, text).some((p) => pickOption(q, p) === undefined);
}

/** Whether `text` picks one of the choices `q` offers (by letter, number, value or words), rather than typing one's own. */
export function namesChoice(q: Question, text: string): boolean {
  if (!('options' in q)) return false;
  return choiceParts(q, text).some((p) => {
    const v = pickOption(q, p);
    return v !== undefined && v !== 'out-of-range';
  });
}

/** The choices a reply names: a list-multi's are separated by commas or spaces. */
function choiceParts(q: Question, text: string): string[] {
  return q.type === 'list-multi' ? text.split(/[,\s]+/).filter(Boolean) : [text];
}

function choices(n: number): string {
  return n <= 1 ? 'a' : `a to ${LETTERS[Math.min(n, LETTERS.length) - 1]}`;
}

export function parseReply(q: Question, text: string): Parsed {
  const word = reservedWord(text);
  if (word) return { kind: 'reserved', word };
  const t = text.trim();
  switch (q.type) {
    case 'boolean': {
      const lower = t.toLowerCase();
      const b = YES.includes(lower) ? true : NO.includes(lower) ? false : parseBoolean(lower);
      if (b === undefined) return { kind: 'invalid', sentence: 'Please reply y for yes or n for no.' };
      return { kind: 'value', values: [b ? 'true' : 'false'] };
    }
    case 'list-single': {
      const v = pickOption(q, t);
      if (v === 'ambiguous') return { kind: 'invalid', sentence: `“${t}” matches more than one choice; please reply with its letter.` };
      if (v === 'out-of-range')
        return { kind: 'invalid', sentence: `There is no choice “${t}”: please reply with a letter from ${choices(q.options.length)}.` };
      if (v !== undefined) return { kind: 'value', values: [v] };
      if (q.open && t) return { kind: 'value', values: [t] };
      return { kind: 'invalid', sentence: `Please reply with a letter from ${choices(q.options.length)}.` };
    }
    case 'list-multi': {
      const picked = choiceParts(q, t).map((p) => pickOption(q, p));
      if (picked.length === 0 || picked.some((p) => p === undefined || p === 'ambiguous' || p === 'out-of-range')) {
        return { kind: 'invalid', sentence: `Please reply with letters from ${choices(q.options.length)}, separated by commas.` };
      }
      return { kind: 'value', values: picked as string[] };
    }
    case 'jid-multi':
    case 'text-multi':
      return { kind: 'value', values: t.split(/\n|,\s*/).filter(Boolean) };
    default:
      if (!t) return { kind: 'invalid', sentence: 'Please type an answer.' };
      return { kind: 'value', values: [t] };
  }
}
