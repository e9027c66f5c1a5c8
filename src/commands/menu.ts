// The chat menu of commands ("what can I do here"): the chat twin of disco#items, with the same predicate.
import { NODES } from '../domain/nodes.js';
import { chatWordsOf, offered } from './access.js';
import { type Command, defineCommand } from './contract.js';
import { type NoData, noData } from './no-data.js';
import { done } from './views.js';
import { join } from '../domain/text.js';
import { describeStatus, openPaymentText } from '../domain/wording.js';

/** Built from the registry so it lists exactly what disco#items lists. */
export function menuCommand(all: () => readonly Command[]): Command {
  return defineCommand<'pick', NoData>({
    node: NODES.menu,
    name: 'Menu',
    chatWords: ['menu', 'help'],
    chatOnly: true,
    access: () => 'allowed',
    // Anyone else with no conversation going gets the menu (registered last, so signup's claim comes first).
    opensChatFor: () => true,
    data: noData,
    start: 'pick',
    steps: {
      pick: {
        leadsTo: [],
        async view(ctx) {
          const [state, open] = await Promise.all([ctx.deps.accountState(ctx.who.bare), ctx.deps.payments?.openFor(ctx.who.bare)]);
          const cmds = offered(all(), ctx.who, state).filter((c) => c.chatWords.length > 0);
          // Nothing to offer (e.g. while a signup waits for approval): say where they stand, not an empty menu.
          const waiting = open ? [openPaymentText(open)] : [];
          if (cmds.length === 0) return done(join([describeStatus(state, ctx.deps.settings.catalogue), ...waiting]));
          return {
            kind: 'form',
            form: {
              title: 'What would you like to do?',
              fields: [
                {
                  type: 'list-single',
                  var: 'command',
                  label: 'Command',
                  required: true,
                  options: cmds.map((c) => ({ value: c.node, label: `${c.name} (or send ${chatWordsOf(c)})` })),
                },
              ],
            },
            actions: ['next'],
            defaultAction: 'next',
            ...(waiting.length ? { notes: waiting.map((text) => ({ type: 'info' as const, text })) } : {}),
          };
        },
        async submit(_ctx, _data, values) {
          return { switchTo: String(values.command) };
        },
      },
    },
  });
}
