// The command contract: a command is a graph of named steps over typed, versioned data. Declared once with
// defineCommand, rendered by both UIs. Nothing here knows XML, chat text, sessions or Redis.
import type { ZodType } from 'zod';
import type { AccountState } from '../domain/account-state.js';
import type { Claim } from '../domain/ports.js';
import type { Text } from '../domain/text.js';
import type { Form, RawValues, Values } from '../forms/types.js';
import type { Deps, ReadDeps } from './deps.js';

export interface Note {
  readonly type: 'info' | 'warn' | 'error';
  readonly text: Text;
}

/** A step that asks something. */
export interface FormView {
  readonly kind: 'form';
  readonly form: Form;
  /** Actions offered besides cancel; `prev` is added by the runtime when there is a step to go back to. */
  readonly actions: readonly ('next' | 'complete')[];
  readonly defaultAction: 'next' | 'complete';
  readonly notes?: readonly Note[];
}

/** The end of a command: what happened, maybe a table (result form) or a link. */
export interface DoneView {
  readonly kind: 'done';
  readonly notes: readonly Note[];
  readonly result?: Form;
  /** A web page to open (a payment link): a `jabber:x:oob` payload in ad-hoc, a URL line in chat. */
  readonly link?: { readonly url: string; readonly description: string };
}

export type View = FormView | DoneView;

/** Who is asking: the `from` the XMPP server stamped, never a value from a form. */
export interface Requester {
  readonly jid: string;
  readonly bare: string;
  readonly isAdmin: boolean;
  /** One of the web site's own JIDs (WEB_REGISTER_JIDS): it may run web-register. */
  readonly isWebSite?: boolean;
}

/** What a view sees: only reads, so a view cannot change anything (the compiler says so). */
export interface ViewCtx {
  readonly who: Requester;
  /** Identifies the session, e.g. to see its own reservations as free. */
  readonly sessionId: string;
  readonly deps: ReadDeps;
}

/** What a submit sees: the same, with the ports that write. */
export interface Ctx extends ViewCtx {
  readonly deps: Deps;
}

/** Where a submit leads: another step of the same command (by its typed id), the end, or another command. */
export type Outcome<S extends string, D> = Settled<S, D> | Rests<S, D>;

/**
 * A step whose outcome rests on one claim (a number still free, a hold, an approval request): where it leads when
 * the claim holds is decided first, so the runtime makes the claim and stores that in one Redis round trip.
 */
export interface Rests<S extends string, D> {
  readonly claim: Claim;
  /** Where it leads when the claim holds. */
  readonly holds:
    | { readonly to: S; readonly data: D; readonly notes?: readonly Note[] }
    | { readonly done: DoneView; readonly handedOn: true };
  /** Where it leads when the claim is refused, and why it was ('unavailable', 'already-pending'). */
  readonly refused: (refusal: string) => Settled<S, D> | Promise<Settled<S, D>>;
}

export type Settled<S extends string, D> =
  | { readonly to: S; readonly data: D; readonly notes?: readonly Note[] }
  /**
   * The end. `handedOn`: what the session held went on to something lasting (an approval, a payment, an account),
   * so there is nothing to let go (the runtime skips the release, one Redis call less).
   */
  | { readonly done: DoneView; readonly handedOn?: true }
  /** Hand over to another command by node (the chat menu). */
  | { readonly switchTo: string };

export interface Step<S extends string, D> {
  /** What the person sees here; may end the command at once (DoneView). Runs again on prev. */
  view(ctx: ViewCtx, data: D): Promise<View>;
  /** Act on the validated values of the form this step showed. */
  submit(ctx: Ctx, data: D, values: Values): Promise<Outcome<S, D>>;
  /** Every step `submit` may go to besides this one: the registry checks they exist, the runtime that they are kept to. */
  readonly leadsTo: readonly S[];
}

/** `listed`: offered in disco#items and chat menus; `allowed`: runnable but not offered; `denied`. */
export type Access = 'listed' | 'allowed' | 'denied';

/** The data a command carries between steps: JSON-safe, checked by its schema when a session is read back. */
export interface DataSpec<D> {
  /** Bump when the shape changes incompatibly; a session of another version is migrated or answered cleanly. */
  readonly version: number;
  readonly schema: ZodType<D>;
  readonly initial: D;
  /** Data of an older version → this version's data, or undefined when it cannot be carried over. */
  readonly migrate?: (from: number, old: unknown) => D | undefined;
}

export interface CommandSpec<S extends string, D> {
  readonly node: string;
  readonly name: string;
  /** Words that start it from chat; the first is the one chat shows. */
  readonly chatWords: readonly string[];
  readonly access: (who: Requester, state: AccountState) => Access;
  /** Only reachable from chat (the command menu): not an ad-hoc node. */
  readonly chatOnly?: boolean;
  /**
   * Start this command when someone with no conversation going writes something that is not a command word
   * (the first command in the registry that says so wins).
   */
  readonly opensChatFor?: (state: AccountState, who: Requester) => boolean;
  /** Start this command when someone with no conversation going sends "cancel" (e.g. to withdraw a signup). */
  readonly opensOnCancel?: (state: AccountState) => boolean;
  /**
   * In chat, the message that opened it (opensChatFor) is also the answer to its first question when it reads as
   * one ("yes" to an offer that said "reply yes"); otherwise the question is asked. A function: only in these
   * account states (a signup opened by "y" to the web site's message, not by a newcomer's "a").
   */
  readonly answersOpener?: true | ((state: AccountState) => boolean);
  readonly data: DataSpec<D>;
  readonly start: NoInfer<S>;
  /**
   * In chat, what may follow its word (`u 20261101 20261130`): read into answers to its first step, submitted at
   * once (the word alone gives '' : its defaults), or a sentence saying why it does not read.
   */
  readonly chatArgs?: (text: string) => RawValues | { readonly error: string };
  /** Where it starts in this account state, when not at `start` (a signup the web site began starts at its number). */
  readonly startAt?: (state: AccountState) => NoInfer<S>;
  readonly steps: { readonly [K in S]: Step<S, D> };
  /** Undo what the session holds (e.g. a number reservation) on cancel, expiry or supersession. */
  readonly release?: (ctx: Ctx, data: D) => Promise<void>;
}

/**
 * A command as the registry and the runtime hold it: step ids and data are no longer visible in the type, so
 * commands of different shapes sit in one list. Only the runtime calls these, with data that `readData` accepted.
 */
export interface Command {
  readonly node: string;
  readonly name: string;
  readonly chatWords: readonly string[];
  readonly access: (who: Requester, state: AccountState) => Access;
  readonly chatOnly: boolean;
  readonly opensChatFor?: (state: AccountState, who: Requester) => boolean;
  readonly opensOnCancel?: (state: AccountState) => boolean;
  readonly answersOpener: (state: AccountState) => boolean;
  readonly start: string;
  readonly startAt?: (state: AccountState) => string;
  readonly chatArgs?: (text: string) => RawValues | { readonly error: string };
  readonly dataVersion: number;
  readonly initialData: unknown;
  readonly steps: ReadonlyMap<string, ErasedStep>;
  /** The command's data from a stored session of `version`, or undefined when it cannot be read. */
  readData(version: number, raw: unknown): CommandData | undefined;
  release(ctx: Ctx, data: CommandData): Promise<void>;
}

/** Data that passed its command's schema (a brand: only readData makes it). */
export type CommandData = { readonly __checked: unique symbol };

export interface ErasedStep {
  view(ctx: ViewCtx, data: CommandData): Promise<View>;
  submit(ctx: Ctx, data: CommandData, values: Values): Promise<Outcome<string, CommandData>>;
  readonly leadsTo: readonly string[];
}

/** Declare a command. Its step ids are a type: `to: 'nope'` on a command without step `nope` does not compile. */
export function defineCommand<S extends string, D>(spec: CommandSpec<S, D>): Command {
  const entries = Object.entries(spec.steps) as [S, Step<S, D>][];
  // The one place typed steps are widened: the runtime only passes data that `readData` (this schema) checked.
  const steps = new Map<string, ErasedStep>(entries.map(([id, step]) => [id, step as unknown as ErasedStep]));
  const read = (raw: unknown): CommandData | undefined => {
    const r = spec.data.schema.safeParse(raw);
    return r.success ? (r.data as unknown as CommandData) : undefined;
  };
  return {
    node: spec.node,
    name: spec.name,
    chatWords: spec.chatWords,
    access: spec.access,
    chatOnly: spec.chatOnly ?? false,
    ...(spec.opensChatFor ? { opensChatFor: spec.opensChatFor } : {}),
    ...(spec.opensOnCancel ? { opensOnCancel: spec.opensOnCancel } : {}),
    answersOpener: typeof spec.answersOpener === 'function' ? spec.answersOpener : () => spec.answersOpener === true,
    start: spec.start,
    ...(spec.startAt ? { startAt: spec.startAt } : {}),
    ...(spec.chatArgs ? { chatArgs: spec.chatArgs } : {}),
    dataVersion: spec.data.version,
    initialData: spec.data.initial,
    steps,
    readData(version, raw) {
      if (version === spec.data.version) return read(raw);
      const migrated = spec.data.migrate?.(version, raw);
      return migrated === undefined ? undefined : read(migrated);
    },
    async release(ctx, data) {
      await spec.release?.(ctx, data as unknown as D);
    },
  };
}
