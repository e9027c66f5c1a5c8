// What a command is: a graph of named steps over plain data. Nothing here knows XML or chat text.
import type { Form, Values } from '../forms/types.js';
import type { AccountState } from './account-state.js';
import type { Deps } from './deps.js';

/** XEP-0050 §3.4 actions; `execute` means "the stage's default". */
export const ACTIONS = ['execute', 'next', 'prev', 'complete', 'cancel'] as const;
export type Action = (typeof ACTIONS)[number];
export type StepAction = 'next' | 'prev' | 'complete';

export interface Note {
  readonly type: 'info' | 'warn' | 'error';
  readonly text: string;
}

/** A step that asks something. */
export interface FormView {
  readonly kind: 'form';
  readonly form: Form;
  /** Actions offered besides cancel; `prev` is added by the engine when there is a step to go back to. */
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

/** JSON-safe session data a command carries between steps. */
export type Json = string | number | boolean | null | Json[] | { [k: string]: Json };
/** Undefined members are dropped by JSON, like absent ones. */
export type Data = { readonly [k: string]: Json | undefined };

/** Who is asking: the `from` the XMPP server stamped, never a value from a form. */
export interface Requester {
  readonly jid: string;
  readonly bare: string;
  readonly isAdmin: boolean;
}

export interface Ctx {
  readonly who: Requester;
  readonly deps: Deps;
  /** Identifies the session, e.g. to own a reservation. */
  readonly sessionId: string;
}

export type Outcome =
  | { readonly to: string; readonly data: Data; readonly notes?: readonly Note[] }
  | { readonly done: DoneView }
  /** Hand over to another command (used by the chat menu). */
  | { readonly switchTo: string };

export interface Step {
  /**
   * What the person sees here, built from session data; a step may end the command at once (DoneView).
   * Views only read: they may run before access is decided, and again on prev.
   */
  view(ctx: Ctx, data: Data): Promise<View>;
  /** Act on valid values; omitted on steps whose only way on is the form's default. */
  submit(ctx: Ctx, data: Data, values: Values): Promise<Outcome>;
}

/** `listed`: offered in disco#items and chat menus; `allowed`: runnable but not offered; `denied`. */
export type Access = 'listed' | 'allowed' | 'denied';

export interface Command {
  readonly node: string;
  readonly name: string;
  /** Words that start it from chat; the first is shown in chat menus. */
  readonly chatWords: readonly string[];
  readonly access: (who: Requester, state: AccountState) => Access;
  readonly start: string;
  readonly steps: Readonly<Record<string, Step>>;
  /** Only reachable from chat (the command menu): not an ad-hoc node. */
  readonly chatOnly?: boolean;
  /** Undo what the session holds (e.g. a number reservation) on cancel or expiry. */
  readonly release?: (ctx: Ctx, data: Data) => Promise<void>;
}
