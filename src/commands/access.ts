// Who may run what: one predicate for disco#items, execution and chat menus.
import type { AccountState } from './account-state.js';
import { isRegistered } from './account-state.js';
import type { Access, Command, Requester } from './types.js';

export const registeredOnly = (_who: Requester, state: AccountState): Access => (isRegistered(state) ? 'listed' : 'denied');
export const adminsOnly = (who: Requester): Access => (who.isAdmin ? 'listed' : 'denied');

export function accessOf(cmd: Command, who: Requester, state: AccountState): Access {
  return cmd.access(who, state);
}

export const canRun = (cmd: Command, who: Requester, state: AccountState) => accessOf(cmd, who, state) !== 'denied';
export const isListed = (cmd: Command, who: Requester, state: AccountState) => accessOf(cmd, who, state) === 'listed';
