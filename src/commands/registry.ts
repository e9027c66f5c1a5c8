// Every command the bot offers, checked once at start: unique nodes and chat words, every step target present.
import type { AccountState } from '../domain/account-state.js';
import { canRun } from './access.js';
import { acceptPayer } from './accept-payer.js';
import { approvals } from './approvals.js';
import type { Command, Requester } from './contract.js';
import { helpCommand } from './help.js';
import { menuCommand } from './menu.js';
import { leafAccounts, myPayer } from './leaf-accounts.js';
import { myNumber } from './my-number.js';
import { referralCodes } from './referral-codes.js';
import { signup } from './signup/index.js';
import { status } from './status.js';
import { topUp } from './top-up.js';
import { upgrade } from './upgrade.js';
import { usage } from './usage.js';
import { webRegister, webRegisterResend } from './web-register.js';
import { withdraw } from './withdraw.js';

/** Words every chat step understands before the current form sees them. */
export const CHAT_CONTROL_WORDS = ['back', 'cancel'] as const;

export class RegistryError extends Error {
  override name = 'RegistryError';
}

/** Why these commands cannot run together, or an empty list. */
export function registryProblems(commands: readonly Command[]): string[] {
  const problems: string[] = [];
  const nodes = new Set<string>();
  const words = new Map<string, string>();
  for (const c of commands) {
    if (nodes.has(c.node)) problems.push(`node ${c.node} is declared twice`);
    nodes.add(c.node);
    for (const w of c.chatWords) {
      const word = w.toLowerCase();
      if (word !== w || /\s/.test(w)) problems.push(`${c.node}: chat word "${w}" must be one lower-case word`);
      if ((CHAT_CONTROL_WORDS as readonly string[]).includes(word))
        problems.push(`${c.node}: "${w}" is a word every step keeps for itself`);
      const owner = words.get(word);
      if (owner) problems.push(`chat word "${w}" belongs to both ${owner} and ${c.node}`);
      words.set(word, c.node);
    }
    if (!c.steps.has(c.start)) problems.push(`${c.node}: start step ${c.start} does not exist`);
    for (const [id, step] of c.steps) {
      for (const to of step.leadsTo) if (!c.steps.has(to)) problems.push(`${c.node}: step ${id} leads to ${to}, which does not exist`);
    }
  }
  return problems;
}

export class Registry {
  private readonly byNode = new Map<string, Command>();
  private readonly byWord = new Map<string, Command>();
  constructor(readonly commands: readonly Command[]) {
    const problems = registryProblems(commands);
    if (problems.length) throw new RegistryError(`the command registry is inconsistent: ${problems.join('; ')}`);
    for (const c of commands) {
      this.byNode.set(c.node, c);
      for (const w of c.chatWords) this.byWord.set(w, c);
    }
  }
  get(node: string): Command | undefined {
    return this.byNode.get(node);
  }
  /** The command a chat word starts, if any (case-insensitive): the whole message, or its first word for a command that reads what follows. */
  byChatWord(text: string): Command | undefined {
    const t = text.trim().toLowerCase();
    const whole = this.byWord.get(t);
    if (whole) return whole;
    const first = this.byWord.get(t.split(/\s+/)[0] ?? '');
    return first?.chatArgs ? first : undefined;
  }
  /** The word chat shows for a command (its first). */
  wordOf(node: string): string | undefined {
    return this.byNode.get(node)?.chatWords[0];
  }
  /**
   * What a chat message starts when no conversation is going on: the command its word names (if this person
   * may run it), else the first command that declares it opens chat for this account state.
   */
  /** What "cancel" with nothing open starts for this account state, if anything (withdrawing a waiting signup). */
  cancelEntry(who: Requester, state: AccountState): Command | undefined {
    return this.commands.find((c) => c.opensOnCancel?.(state) && canRun(c, who, state));
  }

  chatEntry(text: string, who: Requester, state: AccountState): Command {
    const asked = this.byChatWord(text);
    const opener = this.commands.find((c) => c.opensChatFor?.(state, who));
    // A one-letter word ("n") is a reply, not a command, to a message that asked this person a question ("Reply
    // y or n"): the command that message opens answers it.
    const reply = opener?.answersOpener(state) && /^\s*\p{L}\s*$/u.test(text);
    if (asked && canRun(asked, who, state) && !reply) return asked;
    if (!opener) throw new RegistryError('no command opens chat for this person: the menu should');
    return opener;
  }
}

/** `cardPayments`: whether Stripe is configured (top-up exists only then). */
export function defaultRegistry(opts: { readonly cardPayments: boolean } = { cardPayments: false }): Registry {
  const commands: Command[] = [
    signup,
    myNumber,
    status,
    usage,
    upgrade,
    ...(opts.cardPayments ? [topUp] : []),
    referralCodes,
    leafAccounts,
    myPayer,
    acceptPayer,
    withdraw,
    approvals,
    webRegister,
    webRegisterResend,
  ];
  commands.push(
    helpCommand(() => commands),
    menuCommand(() => commands),
  );
  return new Registry(commands);
}
