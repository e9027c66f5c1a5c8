// What both adapters share: dependencies, commands, sessions, and who is asking.
import type { Deps } from './commands/deps.js';
import type { Registry } from './commands/registry.js';
import type { Ctx, Requester } from './commands/types.js';
import type { SessionStore } from './store/sessions.js';

export interface Core {
  readonly deps: Deps;
  readonly registry: Registry;
  readonly sessions: Pick<SessionStore, 'get' | 'saveSoon' | 'deleteSoon'>;
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

/**
 * Dependencies for one turn (one stanza handled): the account state is read at most once per turn,
 * and can be fetched early, alongside the session, in the same Redis round trip.
 */
export function turnDeps(deps: Deps): Deps {
  const memo = new Map<string, ReturnType<Deps['accountState']>>();
  return {
    ...deps,
    accountState: (jid) => {
      let p = memo.get(jid);
      if (!p) {
        p = deps.accountState(jid);
        memo.set(jid, p);
        p.catch(() => memo.delete(jid));
      }
      return p;
    },
  };
}

export function ctxFor(deps: Deps, who: Requester, sessionId: string): Ctx {
  return { who, deps, sessionId };
}
