// Small builders of views and outcomes that many steps share.
import type { Text } from '../domain/text.js';
import type { DoneView, Note } from './contract.js';

/** The end of a command with one note. */
export function done(text: Text, type: Note['type'] = 'info'): DoneView {
  return { kind: 'done', notes: [{ type, text }] };
}

/** The same as a submit's outcome. */
export const finish = (text: Text, type: Note['type'] = 'info') => ({ done: done(text, type) });

/** The end, with what the session held handed on to something lasting (nothing to let go). */
export const handedOn = (text: Text) => ({ done: done(text), handedOn: true as const });

export const note = (text: Text, type: Note['type'] = 'info'): Note => ({ type, text });
