// "What can I do here" for ad-hoc users (node `help`): the commands this person is offered, by name, and
// where their account stands. Chat has the same in its menu (send help or menu).
import { NODES } from '../domain/nodes.js';
import { join } from '../domain/text.js';
import { describeStatus } from '../domain/wording.js';
import { chatWordsOf, offered } from './access.js';
import { type Command, defineCommand } from './contract.js';
import { type NoData, noData } from './no-data.js';
import { done } from './views.js';

export function helpCommand(all: () => readonly Command[]): Command {
  return defineCommand<'show', NoData>({
    node: NODES.help,
    name: 'Help: what you can do here',
    // Chat's help is the menu's word.
    chatWords: [],
    access: () => 'listed',
    data: noData,
    start: 'show',
    steps: {
      show: {
        leadsTo: [],
        async view(ctx) {
          const state = await ctx.deps.accountState(ctx.who.bare);
          const names = offered(all(), ctx.who, state)
            .filter((c) => c.node !== NODES.help)
            .map((c) => (c.chatWords.length ? `• ${c.name} (in chat: ${chatWordsOf(c)})` : `• ${c.name}`));
          const intro = names.length ? 'You can run these commands:' : 'There is no command for you to run right now.';
          return done(join([describeStatus(state, ctx.deps.settings.catalogue), intro, ...names]));
        },
        submit: async () => ({ done: done('') }),
      },
    },
  });
}
