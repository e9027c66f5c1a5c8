// The conversation runtime: the session lifecycle, written once for both UIs. An adapter turns its transport
// into a start or an action here, and the Turn it gets back into its transport. Start (with the access check),
// load (read back, owner check, expiry), act, drop and remember live here and nowhere else; a session is
// stored before the adapter sees the turn (durable before visible).
import { canRun } from '../commands/access.js';
import type { Command, Ctx, Requester } from '../commands/contract.js';
import type { AccountState } from '../domain/account-state.js';
import type { Deps } from '../commands/deps.js';
import type { Registry } from '../commands/registry.js';
import { CommandError, UnavailableError } from '../domain/errors.js';
import type { Claim, ContactsPort, Metrics, SessionIndex, SessionKey, SessionsPort, Ui } from '../domain/ports.js';
import { again, begin, type Input, isExpired, proceed, type Turn } from './engine.js';
import { encodeSession, readSession, type Session } from './session.js';

/** A session is kept this long past its idle timeout, so a late reply hears "expired" rather than "unknown". */
const GRACE_SECONDS = 3600;
/** A step holds its session at most this long (a Stripe call with its retries fits); then another may take it. */
const STEP_LOCK_SECONDS = 90;

export type Loaded =
  /** `firstContact`: asked along (a chat message), whether it is the first this person sent the bot. */
  | { readonly kind: 'none'; readonly firstContact?: boolean }
  /** Another request is at this session's current step right now: this one must not act. */
  | { readonly kind: 'busy' }
  /** It timed out: what it held was let go and it is forgotten. */
  | { readonly kind: 'expired' }
  /** Written by a release this one cannot continue (or damaged): forgotten. */
  | { readonly kind: 'unreadable' }
  | { readonly kind: 'live'; readonly cmd: Command; readonly session: Session };

/** A session loaded and going on. */
export type Live = Extract<Loaded, { kind: 'live' }>;

/** Changes an adapter makes to a session before it is stored (the chat UI's bookkeeping). */
export type Annotate = (session: Session) => Session;

export function bareJid(jid: string): string {
  const slash = jid.indexOf('/');
  return (slash < 0 ? jid : jid.slice(0, slash)).toLowerCase();
}

export class Runtime {
  constructor(
    readonly registry: Registry,
    readonly deps: Deps,
    private readonly sessions: SessionsPort,
    private readonly contacts: ContactsPort,
    private readonly metrics: Metrics,
  ) {}

  /** The requester is the `from` the XMPP server stamped: never something read from a form. */
  requester(from: string): Requester {
    const bare = bareJid(from);
    const isWebSite = this.deps.settings.webRegister.jids.includes(bare);
    return { jid: from, bare, isAdmin: this.deps.settings.adminJids.includes(bare), ...(isWebSite ? { isWebSite } : {}) };
  }

  /**
   * Handle one stanza: its dependencies read the account state at most once (fetched early, alongside the
   * session, in the same round trip), and a session it took and did not store is let go at the end.
   */
  async run<T>(ui: Ui, handle: (turn: TurnScope) => Promise<T>): Promise<T> {
    const began = performance.now();
    const memo = memoState(this.deps);
    const turn = new TurnScope(this.registry, memo.deps, this.sessions, this.metrics, memo.known);
    let outcome: string | undefined;
    try {
      const r = await handle(turn);
      outcome = turn.outcome;
      return r;
    } catch (err) {
      // What the runtime found (busy, none, expired) says more than the XEP-0050 error the adapter made of it.
      outcome = turn.outcome ?? (err instanceof CommandError ? err.condition : err instanceof UnavailableError ? 'unavailable' : 'failed');
      throw err;
    } finally {
      await turn.finish();
      const seconds = (performance.now() - began) / 1000;
      this.metrics.step({ ui, command: turn.command ?? '', outcome: outcome ?? 'none', seconds });
    }
  }

  /** True the first time this person writes to the bot: a welcome is due. */
  async firstContact(who: Requester): Promise<boolean> {
    return this.contacts.firstContact(who.bare);
  }
}

/** One stanza's worth of work: shares one account-state read, and holds the session it took until it is stored. */
export class TurnScope {
  /** The session this turn took, and the lock that holds it. */
  private taken: { readonly key: SessionKey; readonly lock: string } | undefined;
  /** For the step's metrics: the command it ran (a registered node), and what came of it (StepRecord). */
  command: string | undefined;
  outcome: string | undefined;

  constructor(
    readonly registry: Registry,
    readonly deps: Deps,
    private readonly sessions: SessionsPort,
    private readonly metrics: Metrics,
    /** Tells this turn's accountState what a read made along with another one found. */
    private readonly known: (jid: string, state: AccountState) => void = () => undefined,
  ) {}

  /** Let go of a session taken and not stored (a step that failed half way): it stays as it was. */
  async finish(): Promise<void> {
    const taken = this.taken;
    this.taken = undefined;
    if (taken) await this.sessions.untake(taken.key, taken.lock).catch(() => undefined);
  }

  private ctx(who: Requester, sessionId: string): Ctx {
    return { who, deps: this.deps, sessionId };
  }

  /**
   * Start `cmd` for `who` under `key`; `forbidden` when its access predicate says no. It supersedes the session
   * this person last started of the same command (in either UI, e.g. one a client abandoned without a cancel),
   * letting go of what that one held.
   */
  async start(who: Requester, cmd: Command, key: SessionKey, annotate?: Annotate): Promise<Turn> {
    const id = 'adhoc' in key ? key.adhoc : this.deps.newId();
    this.command = cmd.node;
    const first = () => begin(cmd, this.ctx(who, id), ownerOf(who, key));
    // The first view only reads, so it runs alongside the access check and the look for an older session.
    const [state, older, turn] = await Promise.all([this.deps.accountState(who.bare), this.sessions.current(who.bare, cmd.node), first()]);
    if (!canRun(cmd, who, state)) throw new CommandError('forbidden');
    // What the older one held is free again, so the view is read again to offer it.
    const fresh = older && !sameKey(older, key) && (await this.supersede(who, older, cmd.node)) ? await first() : turn;
    const kept = await this.keep(key, fresh, undefined, annotate, { bare: who.bare, node: cmd.node });
    this.outcome = kept.session ? 'next' : 'completed';
    if (kept.session) this.metrics.session('started');
    return kept;
  }

  /** Let go of, and forget, this person's older session of `node` under `key`; true if there was one. */
  private async supersede(who: Requester, key: SessionKey, node: string): Promise<boolean> {
    // Taken like any step: one that another request is running right now is left alone (it will end by itself).
    const took = await this.sessions.take(key, STEP_LOCK_SECONDS);
    if (took.kind !== 'ok') return false;
    const read = readSession(took.doc, this.registry, keyOwner(key));
    if (!read.ok || read.session.node !== node || bareJid(read.session.owner) !== who.bare) {
      await this.sessions.untake(key, took.lock);
      return false;
    }
    try {
      await read.cmd.release(this.ctx(who, read.session.id), read.session.data);
    } catch (err) {
      await this.sessions.untake(key, took.lock).catch(() => undefined);
      throw err;
    }
    await this.sessions.delete(key, took.lock, indexOf(read.session));
    this.metrics.session('ended');
    return true;
  }

  /**
   * The session under `key`, if it belongs to `who` and (given `node`) runs that command: someone else's, or
   * another command's, is indistinguishable from none. An expired one lets go of what it held; one of this
   * person's that cannot be read is forgotten. `cancelling`: the step is a cancel (it reads no account state).
   */
  async load(who: Requester, key: SessionKey, node?: string, cancelling = false): Promise<Loaded> {
    if (node !== undefined) this.command = node;
    // The account state most steps need is read by the session's take itself (one script, one round trip); the
    // open payment signup steps need goes out alongside. A cancel reads neither: it lets go and forgets.
    const [took] = await Promise.allSettled([
      this.sessions.take(key, STEP_LOCK_SECONDS, cancelling ? undefined : { jid: who.bare, now: this.deps.now(), contact: 'chat' in key }),
      cancelling ? undefined : this.deps.payments?.openFor(who.bare),
    ]);
    if (took.status === 'rejected') throw took.reason;
    const taken = took.value;
    // A session taken is remembered at once, so that finish() lets go of it whatever fails next.
    if (taken.kind === 'ok') this.taken = { key, lock: taken.lock };
    if (taken.kind !== 'busy' && taken.facts) this.known(who.bare, this.deps.stateOf(who.bare, taken.facts));
    if (taken.kind === 'busy') {
      this.outcome = 'busy';
      return { kind: 'busy' };
    }
    if (taken.kind === 'none') {
      this.outcome = 'none';
      return taken.firstContact === undefined ? { kind: 'none' } : { kind: 'none', firstContact: taken.firstContact };
    }
    const doc = taken.doc;
    const owner = ownerOf(who, key);
    const read = readSession(doc, this.registry, keyOwner(key));
    if (!read.ok) {
      // A chat session is found by its person's JID; an ad-hoc one only by an id, so its owner is checked first.
      if ('adhoc' in key && !ownedBy(doc, owner)) return this.notYours();
      await this.forget(key);
      this.outcome = 'unreadable';
      this.metrics.session('ended');
      return { kind: 'unreadable' };
    }
    const { session, cmd } = read;
    if (session.owner !== owner || (node !== undefined && cmd.node !== node)) return this.notYours();
    this.command = cmd.node;
    if (isExpired(session, this.deps.now())) {
      await this.drop(who, key, { kind: 'live', cmd, session }, 'expired');
      this.outcome = 'expired';
      return { kind: 'expired' };
    }
    return { kind: 'live', cmd, session };
  }

  /** One action on a live session; the next step is stored (or the session forgotten) before this returns. */
  async act(who: Requester, key: SessionKey, live: Live, input: Input, annotate?: Annotate): Promise<Turn> {
    const ctx = this.ctx(who, live.session.id);
    if (input.action === 'cancel') {
      // Letting go of what it held and forgetting it go out together: one round trip.
      const [turn] = await Promise.all([proceed(live.cmd, live.session, input, ctx), this.forget(key, live.session)]);
      this.outcome = 'canceled';
      return turn;
    }
    const turn = await proceed(live.cmd, live.session, input, ctx, (claim, holds) =>
      this.commit(key, live.session, claim, holds, annotate),
    );
    if (turn.stored) return this.acted(turn);
    if (turn.switchTo) {
      const next = this.registry.get(turn.switchTo);
      if (next) {
        await this.forget(key, live.session);
        return this.start(who, next, key, annotate);
      }
    }
    return this.acted(await this.keep(key, turn, live.session, annotate));
  }

  /** An action's outcome, for the metrics: another step, or the end (its session is gone). */
  private acted(turn: Turn): Turn {
    this.outcome = turn.session ? 'next' : 'completed';
    return turn;
  }

  /** The step of a live session as it shows now (its view run again: the session keeps no words), not yet stored. */
  again(who: Requester, live: Live): Promise<Turn> {
    return again(live.cmd, live.session, this.ctx(who, live.session.id));
  }

  /** End a conversation without finishing it: let go of what it holds, forget it (together: one round trip). */
  async drop(who: Requester, key: SessionKey, live: Live, why: 'ended' | 'expired' = 'ended'): Promise<void> {
    await Promise.all([live.cmd.release(this.ctx(who, live.session.id), live.session.data), this.forget(key, live.session, why)]);
  }

  /** A step's claim, and storing where it leads if the claim holds, in one write. */
  private async commit(
    key: SessionKey,
    was: Session,
    claim: Claim,
    holds: Turn,
    annotate?: Annotate,
  ): Promise<{ stored: Turn } | { refused: string }> {
    const session = holds.session && annotate ? annotate(holds.session) : holds.session;
    const write = session
      ? { save: encodeSession(session, keyOwner(key)), ttlSeconds: ttlOf(session, this.deps.now()) }
      : { delete: true as const, index: indexOf(was) };
    const r = await this.sessions.commit(claim, key, write, this.lockOf(key) ?? '');
    if (r !== 'ok') return { refused: r };
    this.stored(key);
    if (!session) this.metrics.session('ended');
    return { stored: { ...holds, ...(session ? { session } : {}), stored: true } };
  }

  /**
   * Store an adapter's change to a live session (e.g. which chat message showed it); `started`: it is a start,
   * and the person's latest session of its command from now on.
   */
  async remember(key: SessionKey, session: Session, started?: SessionIndex): Promise<void> {
    const doc = encodeSession(session, keyOwner(key));
    await this.sessions.save(key, doc, ttlOf(session, this.deps.now()), this.lockOf(key), started);
    this.stored(key);
    // Stored with no step taken (the chat UI asking again); a start or an action says otherwise after this.
    this.outcome ??= 'repeated';
  }

  /**
   * Forget the session under `key`; given what it was, the person's pointer to it goes too (if it still points
   * there), and its end is counted.
   */
  private async forget(key: SessionKey, was?: Session, why: 'ended' | 'expired' = 'ended'): Promise<void> {
    await this.sessions.delete(key, this.lockOf(key), was && indexOf(was));
    this.stored(key);
    if (was) this.metrics.session(why);
  }

  /** Saving or deleting a session lets go of it. */
  private stored(key: SessionKey): void {
    if (this.taken && sameKey(this.taken.key, key)) this.taken = undefined;
  }

  /** The lock this turn holds on `key`, if it took that session. */
  private lockOf(key: SessionKey): string | undefined {
    return this.taken && sameKey(this.taken.key, key) ? this.taken.lock : undefined;
  }

  /** Someone else's session, or another command's: let go of it at once, and answer as if there were none. */
  private async notYours(): Promise<Loaded> {
    await this.finish();
    return { kind: 'none' };
  }

  private async keep(
    key: SessionKey,
    turn: Turn,
    /** The session this turn replaces (none for a start). */
    was: Session | undefined,
    annotate?: Annotate,
    started?: SessionIndex,
  ): Promise<Turn> {
    if (!turn.session) {
      if (was) await this.forget(key, was);
      return turn;
    }
    const session = annotate ? annotate(turn.session) : turn.session;
    await this.remember(key, session, started);
    return { ...turn, session };
  }
}

/** Ad-hoc sessions belong to a full JID (XEP-0050), chat ones to the bare JID. */
function ownerOf(who: Requester, key: SessionKey): string {
  return 'adhoc' in key ? who.jid : who.bare;
}

/** The owner a session's key names: a chat session is its owner's (a stored document leaves it out). */
function keyOwner(key: SessionKey): string | undefined {
  return 'chat' in key ? key.chat : undefined;
}

function sameKey(a: SessionKey, b: SessionKey): boolean {
  return 'adhoc' in a ? 'adhoc' in b && a.adhoc === b.adhoc : 'chat' in b && a.chat === b.chat;
}

/** Where the person's pointer to this session (their latest of its command) lives. */
function indexOf(session: Session): SessionIndex {
  return { bare: bareJid(session.owner), node: session.node };
}

/** Whether a document that cannot be read names `owner` as its owner (version 3 as `o`, older ones as `owner`). */
function ownedBy(doc: unknown, owner: string): boolean {
  if (typeof doc !== 'object' || doc === null) return false;
  return ('o' in doc && doc.o === owner) || ('owner' in doc && doc.owner === owner);
}

function ttlOf(session: Session, now: Date): number {
  return Math.max(1, Math.ceil((session.expiresAt - now.getTime()) / 1000)) + GRACE_SECONDS;
}

/**
 * One read per JID and stanza of what many steps ask (a failed read is asked again); `known` records a state
 * read along with something else.
 */
function memoState(deps: Deps): { deps: Deps; known: (jid: string, state: AccountState) => void } {
  const payments = deps.payments;
  const state = memo(deps.accountState);
  return {
    deps: {
      ...deps,
      accountState: state.read,
      // The payments port with openFor remembered; every other method is the port's own (through its prototype).
      ...(payments
        ? {
            payments: Object.assign(Object.create(payments) as typeof payments, {
              openFor: memo((jid: string) => payments.openFor(jid)).read,
            }),
          }
        : {}),
    },
    known: state.known,
  };
}

function memo<T>(read: (jid: string) => Promise<T>): { read: (jid: string) => Promise<T>; known: (jid: string, value: T) => void } {
  const seen = new Map<string, Promise<T>>();
  return {
    read: (jid) => {
      let p = seen.get(jid);
      if (!p) {
        p = read(jid);
        seen.set(jid, p);
        p.catch(() => seen.delete(jid));
      }
      return p;
    },
    known: (jid, value) => {
      seen.set(jid, Promise.resolve(value));
    },
  };
}
