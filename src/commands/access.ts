// Who may run what: one predicate for disco#items, execution, chat menus and help.
import { type AccountState, isRegistered } from '../domain/account-state.js';
import type { Access, Command, Requester } from './contract.js';

export const registeredOnly = (_who: Requester, state: AccountState): Access => (isRegistered(state) ? 'listed' : 'denied');
export const adminsOnly = (who: Requester): Access => (who.isAdmin ? 'listed' : 'denied');
/** `"number" or "n"`: the words that start a command in chat, as a person reads them. */
export function chatWordsOf(c: Command): string {
  return c.chatWords.map((w) => `"${w}"`).join(' or ');
}

export const webSiteOnly = (who: Requester): Access => (who.isWebSite ? 'listed' : 'denied');

export const canRun = (cmd: Command, who: Requester, state: AccountState) => cmd.access(who, state) !== 'denied';
export const isListed = (cmd: Command, who: Requester, state: AccountState) => cmd.access(who, state) === 'listed';

/** The commands offered to this person as ad-hoc nodes: what disco#items, help and the chat menu list. */
export const offered = (commands: readonly Command[], who: Requester, state: AccountState) =>
  commands.filter((c) => !c.chatOnly && isListed(c, who, state));
