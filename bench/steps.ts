// The steps of the bench's cycles, named alike for the bot's recorded answers and the replaying stand-in.
import type { Element } from '../src/xmpp/xml.js';

/** What the bot answered, by step: the `<command/>` XML of each ad-hoc step, the body of each chat reply. */
export interface Recording {
  readonly adhoc: Readonly<Record<string, string>>;
  readonly chat: Readonly<Record<string, string>>;
}

/** Which step of an ad-hoc cycle (start, choose, confirm, cancel) a request is. */
export function adhocStepOf(command: Element): string {
  const action = command.attrs.action as string | undefined;
  if (action === 'cancel') return 'cancel';
  if (action === 'execute' || !command.attrs.sessionid) return 'start';
  const vars = (command.getChild('x', 'jabber:x:data')?.getChildren('field') ?? []).map((f) => f.attrs.var);
  return vars.includes('tel') ? 'choose' : 'confirm';
}

/** Which step of a chat cycle (hi, a letter, y, cancel) a message is. */
export function chatStepOf(body: string): string {
  if (body === 'cancel') return 'cancel';
  if (body === 'y') return 'y';
  return /^[a-e]$/.test(body) ? 'letter' : 'first';
}
