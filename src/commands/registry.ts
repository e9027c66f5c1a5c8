// Every command the bot offers. A new command is a new file plus one line here.
import { approvals } from './approvals.js';
import { menuCommand } from './menu.js';
import { myNumber } from './my-number.js';
import { signup } from './signup/index.js';
import { status } from './status.js';
import { topUp } from './top-up.js';
import { upgrade } from './upgrade.js';
import type { Command } from './types.js';

export class Registry {
  private readonly byNode = new Map<string, Command>();
  constructor(readonly commands: readonly Command[]) {
    for (const c of commands) this.byNode.set(c.node, c);
  }
  get(node: string): Command | undefined {
    return this.byNode.get(node);
  }
  /** The command a chat word starts, if any (case-insensitive). */
  byChatWord(word: string): Command | undefined {
    const w = word.trim().toLowerCase();
    return this.commands.find((c) => c.chatWords.includes(w));
  }
}

/** `cardPayments`: whether Stripe is configured (top-up exists only then). */
export function defaultRegistry(opts: { readonly cardPayments: boolean } = { cardPayments: false }): Registry {
  const commands: Command[] = [signup, myNumber, status, upgrade, ...(opts.cardPayments ? [topUp] : []), approvals];
  commands.push(menuCommand(() => commands));
  return new Registry(commands);
}
