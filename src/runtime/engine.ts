// The step machine: one action on one session → the next view and session. Pure over the command's steps:
// no storage, no XML, no chat text (the runtime stores what this returns).
import type { Command, CommandData, Ctx, DoneView, ErasedStep, FormView, Note, Settled, View } from '../commands/contract.js';
import { CommandError } from '../domain/errors.js';
import type { Claim } from '../domain/ports.js';
import type { FieldError, RawValues } from '../forms/types.js';
import { validate } from '../forms/validate.js';
import { fingerprint, SESSION_VERSION, type Session, shownOf } from './session.js';

/** XEP-0050 §3.4 actions; `execute` means "the stage's default". */
export const ACTIONS = ['execute', 'next', 'prev', 'complete', 'cancel'] as const;
export type Action = (typeof ACTIONS)[number];
export type StepAction = 'next' | 'prev' | 'complete';

export type Status = 'executing' | 'completed' | 'canceled';

export interface Turn {
  readonly status: Status;
  readonly view: View;
  /**
   * What this reply says besides the view (why a step came back, an invalid answer): shown once, with this
   * reply only; the stored session keeps the view's own notes, never these.
   */
  readonly notes?: readonly Note[];
  /** The session as stored while executing; absent when the command ended. */
  readonly session?: Session;
  /** The command handed over to another one (the chat menu): the runtime starts that one next. */
  readonly switchTo?: string;
  /** Already stored, together with the claim its step rested on (the runtime stores nothing more). */
  readonly stored?: true;
}

/**
 * Store `turn` (its session, or its end) together with the claim its step rests on, in one write: the turn as
 * stored, or why the claim was refused (then nothing was written).
 */
export type Commit = (claim: Claim, turn: Turn) => Promise<{ readonly stored: Turn } | { readonly refused: string }>;

const noCommit: Commit = async () => {
  throw new Error('a step rests on a claim, but nothing here can store it');
};

export interface Input {
  readonly action: Action;
  /** The submitted form's raw values; absent when nothing was submitted. */
  readonly values?: RawValues;
}

function stepOf(cmd: Command, id: string) {
  const s = cmd.steps.get(id);
  if (!s) throw new Error(`command ${cmd.node} has no step ${id}`);
  return s;
}

/** Actions allowed at a stage: the view's own, plus prev when there is somewhere to go back to. */
export function allowedActions(session: Pick<Session, 'shown' | 'history'>): StepAction[] {
  return [...(session.history.length ? (['prev'] as const) : []), ...session.shown.actions];
}

function withNotes<V extends FormView | DoneView>(view: V, notes: readonly Note[] | undefined): V {
  return notes?.length ? { ...view, notes: [...notes, ...(view.notes ?? [])] } : view;
}

/** A session lives `sessionTtlSeconds` past its latest step. */
function expiry(ctx: Ctx): number {
  return ctx.deps.now().getTime() + ctx.deps.settings.sessionTtlSeconds * 1000;
}

interface At {
  readonly owner: string;
  readonly stepId: string;
  readonly data: CommandData;
  readonly history: readonly string[];
  readonly notes?: readonly Note[];
}

async function show(cmd: Command, ctx: Ctx, at: At): Promise<Turn> {
  const view = await stepOf(cmd, at.stepId).view(ctx, at.data);
  if (view.kind === 'done') return { status: 'completed', view: withNotes(view, at.notes) };
  const shown = view;
  const session: Session = {
    v: SESSION_VERSION,
    id: ctx.sessionId,
    node: cmd.node,
    owner: at.owner,
    step: at.stepId,
    dataVersion: cmd.dataVersion,
    data: at.data,
    history: at.history,
    shown: shownOf(shown),
    fingerprint: fingerprint(at.stepId, shown),
    expiresAt: expiry(ctx),
  };
  return { status: 'executing', view: shown, session, ...(at.notes?.length ? { notes: at.notes } : {}) };
}

/** Start a command: its first step, or at once its end. `owner` binds the session (full JID or bare JID). */
export async function begin(cmd: Command, ctx: Ctx, owner: string): Promise<Turn> {
  const data = cmd.readData(cmd.dataVersion, cmd.initialData);
  if (data === undefined) throw new Error(`command ${cmd.node}: its initial data does not pass its own schema`);
  const at = (stepId: string) => show(cmd, ctx, { owner, stepId, data, history: [] });
  if (!cmd.startAt) return at(cmd.start);
  // The usual first step's view goes out with the account-state read (views only read, so one not shown is
  // harmless); a start elsewhere (a number the web site chose) is shown once the state says so.
  const usual = at(cmd.start);
  // Handled at once: if the state cannot be read, this view's failure must not go unhandled (the process would end).
  usual.catch(() => undefined);
  const stepId = cmd.startAt(await ctx.deps.accountState(ctx.who.bare));
  return stepId === cmd.start ? usual : at(stepId);
}

export function isExpired(session: Session, now: Date): boolean {
  return now.getTime() > session.expiresAt;
}

const CANCELLED: Turn = { status: 'canceled', view: { kind: 'done', notes: [{ type: 'info', text: 'Cancelled: nothing was changed.' }] } };

/**
 * Apply one action to a live session (not expired: the runtime checks). Throws CommandError for actions the stage
 * does not allow. A step that rests on a claim is stored here, through `commit`, with its claim.
 */
export async function proceed(cmd: Command, session: Session, input: Input, ctx: Ctx, commit: Commit = noCommit): Promise<Turn> {
  if (input.action === 'cancel') {
    await cmd.release(ctx, session.data);
    return CANCELLED;
  }
  const allowed = allowedActions(session);
  const asked = input.action === 'execute' ? session.shown.defaultAction : input.action;
  // Be liberal: a stage whose only way on is `complete` takes `next` as `complete` (Poezio sends `next` always).
  const action = asked === 'next' && !allowed.includes('next') && allowed.includes('complete') ? 'complete' : asked;
  if (!allowed.includes(action)) throw new CommandError('bad-action');

  if (action === 'prev') {
    const history = session.history.slice(0, -1);
    return show(cmd, ctx, {
      owner: session.owner,
      stepId: session.history[session.history.length - 1] as string,
      data: session.data,
      history,
    });
  }

  const checked = validate(session.shown.form, input.values ?? {});
  if (!checked.ok) return invalid(cmd, ctx, session, input.values ?? {}, checked.error);
  const step = stepOf(cmd, session.step);
  const outcome = await step.submit(ctx, session.data, checked.value);
  if (!('claim' in outcome)) return settle(cmd, ctx, session, step, outcome);
  // Where it leads if the claim holds is worked out first, so both are written at once; nothing is let go before.
  const holds = await settle(cmd, ctx, session, step, outcome.holds, false);
  const r = await commit(outcome.claim, holds);
  if ('refused' in r) return settle(cmd, ctx, session, step, await outcome.refused(r.refused));
  // A next step whose view ended the command at once: what the session held is let go now, after the write.
  if (!r.stored.session && 'to' in outcome.holds) await cmd.release(ctx, cmd.readData(cmd.dataVersion, outcome.holds.data) ?? session.data);
  return r.stored;
}

/** The step as it is now: its view run again (the session keeps no words), stored anew. */
export function again(cmd: Command, session: Session, ctx: Ctx): Promise<Turn> {
  return show(cmd, ctx, { owner: session.owner, stepId: session.step, data: session.data, history: session.history });
}

/**
 * A submission the shown form refuses: the step shown again with what is wrong, in the words of its fields as
 * shown now (a form that meanwhile takes it, as when its choices changed, is named by its vars).
 */
async function invalid(cmd: Command, ctx: Ctx, session: Session, values: RawValues, errors: readonly FieldError[]): Promise<Turn> {
  const turn = await again(cmd, session, ctx);
  if (turn.view.kind === 'done') return ended(cmd, ctx, session.data, turn);
  const worded = validate(turn.view.form, values);
  const notes = (worded.ok ? errors : worded.error).map((e): Note => ({ type: 'error', text: e.message }));
  return { ...turn, notes };
}

/** The turn a settled outcome gives; `release`: let go of what the session held if the command ends. */
async function settle(
  cmd: Command,
  ctx: Ctx,
  session: Session,
  step: ErasedStep,
  outcome: Settled<string, CommandData>,
  release = true,
): Promise<Turn> {
  const finish = (data: CommandData, turn: Turn) => (release ? ended(cmd, ctx, data, turn) : turn);
  // A command that ends lets go of whatever its session still holds (a number it reserved and did not hand on to
  // an approval or a payment): release only frees what is still held by this session.
  if ('done' in outcome) {
    const turn: Turn = { status: 'completed', view: outcome.done };
    return outcome.handedOn ? turn : finish(session.data, turn);
  }
  if ('switchTo' in outcome)
    return finish(session.data, { status: 'completed', view: { kind: 'done', notes: [] }, switchTo: outcome.switchTo });
  if (outcome.to !== session.step && !step.leadsTo.includes(outcome.to)) {
    throw new Error(`command ${cmd.node}: step ${session.step} went to ${outcome.to}, which it does not declare in leadsTo`);
  }
  // What is stored must read back: the step's data passes its command's own schema (zod drops unknown keys).
  const data = cmd.readData(cmd.dataVersion, outcome.data);
  if (data === undefined) throw new Error(`command ${cmd.node}: step ${session.step} returned data its schema refuses`);
  // Going to a step already behind us (e.g. "no, another number") rewinds history instead of growing it.
  const behind = session.history.indexOf(outcome.to);
  const history =
    outcome.to === session.step ? session.history : behind >= 0 ? session.history.slice(0, behind) : [...session.history, session.step];
  const next = await show(cmd, ctx, {
    owner: session.owner,
    stepId: outcome.to,
    data,
    history,
    ...(outcome.notes ? { notes: outcome.notes } : {}),
  });
  // The next step may end the command at once (its view is a result): the same letting go.
  return next.session ? next : finish(data, next);
}

async function ended(cmd: Command, ctx: Ctx, data: CommandData, turn: Turn): Promise<Turn> {
  await cmd.release(ctx, data);
  return turn;
}
