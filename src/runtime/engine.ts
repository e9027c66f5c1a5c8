// The step machine: moves a session from step to step. Transport-neutral: no XML, no chat text.
import type { RawValues } from '../forms/types.js';
import { validate } from '../forms/validate.js';
import { CommandError } from './errors.js';
import { fingerprint, SESSION_VERSION, type Session } from './session.js';
import type { Action, Command, Ctx, Data, DoneView, FormView, Note, StepAction, View } from './types.js';

export type Status = 'executing' | 'completed' | 'canceled';

export interface Turn {
  readonly status: Status;
  readonly view: View;
  /** The session to save while executing; absent when the command ended (delete it). */
  readonly session?: Session;
  /** The command handed over to another one (the chat menu): start that one next. */
  readonly switchTo?: string;
}

function step(cmd: Command, id: string) {
  const s = cmd.steps[id];
  if (!s) throw new Error(`command ${cmd.node} has no step ${id}`);
  return s;
}

/** Actions allowed at a stage: the view's own, plus prev when there is somewhere to go back to. */
export function allowedActions(session: Pick<Session, 'shown' | 'history'>): StepAction[] {
  return [...(session.history.length ? (['prev'] as const) : []), ...session.shown.actions];
}

function withNotes(view: FormView, notes: readonly Note[] | undefined): FormView {
  return notes?.length ? { ...view, notes: [...notes, ...(view.notes ?? [])] } : view;
}

/** A session lives `sessionTtlSeconds` past its latest step. */
function expiry(ctx: Ctx): number {
  return ctx.deps.now().getTime() + ctx.deps.settings.sessionTtlSeconds * 1000;
}

/** Keep which chat message showed the menu; partial answers belonged to the form shown before. */
function chatMark(session: Session): Pick<Session, 'chat'> {
  const { chat } = session;
  return chat ? { chat: { messageId: chat.messageId, shownAt: chat.shownAt } } : {};
}

async function show(cmd: Command, ctx: Ctx, owner: string, prev: Session | undefined, stepId: string, data: Data, history: readonly string[], notes?: readonly Note[]): Promise<Turn> {
  const view = await step(cmd, stepId).view(ctx, data);
  if (view.kind === 'done') return { status: 'completed', view: withDoneNotes(view, notes) };
  const shown = withNotes(view, notes);
  const session: Session = {
    v: SESSION_VERSION,
    id: ctx.sessionId,
    node: cmd.node,
    owner,
    step: stepId,
    data,
    history,
    shown,
    fingerprint: fingerprint(stepId, shown),
    expiresAt: expiry(ctx),
    ...(prev ? chatMark(prev) : {}),
  };
  return { status: 'executing', view: shown, session };
}

function withDoneNotes(view: DoneView, notes: readonly Note[] | undefined): DoneView {
  return notes?.length ? { ...view, notes: [...notes, ...view.notes] } : view;
}

/** Start a command: its first step, or at once its end. `owner` binds the session (full JID or bare JID). */
export async function begin(cmd: Command, ctx: Ctx, owner: string): Promise<Turn> {
  return show(cmd, ctx, owner, undefined, cmd.start, {}, []);
}

export function isExpired(session: Session, now: Date): boolean {
  return now.getTime() > session.expiresAt;
}

/** Undo what an abandoned session holds (reservations). */
export async function abandon(cmd: Command, session: Session, ctx: Ctx): Promise<void> {
  await cmd.release?.(ctx, session.data);
}

export interface Input {
  readonly action: Action;
  /** The submitted form's raw values; absent when nothing was submitted. */
  readonly values?: RawValues;
}

/** Apply one action to a live session. Throws CommandError for actions the stage does not allow. */
export async function proceed(cmd: Command, session: Session, input: Input, ctx: Ctx): Promise<Turn> {
  if (isExpired(session, ctx.deps.now())) {
    await abandon(cmd, session, ctx);
    throw new CommandError('session-expired');
  }
  if (input.action === 'cancel') {
    await abandon(cmd, session, ctx);
    return { status: 'canceled', view: { kind: 'done', notes: [{ type: 'info', text: 'Cancelled: nothing was changed.' }] } };
  }
  const action = input.action === 'execute' ? session.shown.defaultAction : input.action;
  if (!allowedActions(session).includes(action)) throw new CommandError('bad-action');

  if (action === 'prev') {
    const history = session.history.slice(0, -1);
    return show(cmd, ctx, session.owner, session, session.history[session.history.length - 1] as string, session.data, history);
  }

  const checked = validate(session.shown.form, input.values ?? {});
  if (!checked.ok) {
    const errors = checked.error.map((e): Note => ({ type: 'error', text: e.message }));
    const again: FormView = { ...session.shown, notes: [...errors, ...(session.shown.notes ?? []).filter((n) => n.type !== 'error')] };
    return { status: 'executing', view: again, session: { ...session, shown: again, expiresAt: expiry(ctx), ...chatMark(session) } };
  }
  const outcome = await step(cmd, session.step).submit(ctx, session.data, checked.value);
  if ('done' in outcome) return { status: 'completed', view: outcome.done };
  if ('switchTo' in outcome) return { status: 'completed', view: { kind: 'done', notes: [] }, switchTo: outcome.switchTo };
  // Going to a step already behind us (e.g. "no, another number") rewinds history instead of growing it.
  const behind = session.history.indexOf(outcome.to);
  const history =
    outcome.to === session.step ? session.history : behind >= 0 ? session.history.slice(0, behind) : [...session.history, session.step];
  return show(cmd, ctx, session.owner, session, outcome.to, outcome.data, history, outcome.notes);
}
