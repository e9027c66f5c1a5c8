// What both adapters share: dependencies, commands, sessions, and who is asking.
import type { Deps } from './commands/deps.js';
import type { Registry } from './commands/registry.js';
import type { Ctx, Requester } from './commands/types.js';
import type { SessionStore } from './store/sessions.js';

export interface Core {
  readonly deps: Deps;
  readonly registry: Registry;
  readonly sessions: Pick<SessionStore, 'get' | 'save' | 'delete'>;
}

export function bareJid(jid: string): string {
  const slash = jid.indexOf('/');
  return (slash < 0 ? jid : jid.slice(0, slash)).toLowerCase();
}

/** The requester is the `from` the XMPP server stamped: never something read from a form. */
export function requester(core: Core, from: string): Requester {
  const bare = bareJid(from);
  return { jid: from, bare, isAdmin: core.deps.settings.adminJids.includes(bare) };
}

export function ctxFor(core: Core, who: Requester, sessionId: string): Ctx {
  return { who, deps: core.deps, sessionId };
}
