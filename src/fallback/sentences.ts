// Each command failure as one plain sentence for chat (the chat twin of src/xmpp/errors.ts).
import type { Condition } from '../domain/errors.js';

const SENTENCES: Record<Condition, string> = {
  'bad-request': 'I could not understand that. Send "help" to see what you can do.',
  'not-allowed': 'That is not allowed here.',
  forbidden: 'That command is not available to you.',
  'item-not-found': 'I do not know that command. Send "help" to see what you can do.',
  'not-acceptable': 'That message is too long for me to read.',
  'service-unavailable': 'The account bot is temporarily unavailable; please try again in a few minutes.',
  'bad-action': 'That is not possible at this step. Send "help" for the choices.',
  'bad-locale': 'That language is not supported.',
  'bad-payload': 'I could not read that answer. Please try again.',
  'bad-sessionid': 'That conversation is not known any more. Send any message to start again.',
  'malformed-action': 'I could not understand that. Send "help" for the choices.',
  'session-expired': 'That conversation timed out. Send any message to start again.',
};

export function sentenceFor(c: Condition): string {
  return SENTENCES[c];
}
