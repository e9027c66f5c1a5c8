// Accept (or decline) a main's offer to pay for my trial account (node accept-payer; chat: reply yes or no to the
// offer, or accept). Nothing changes before the person accepts; accepting ends the trial and makes the account a
// leaf of the main, in one Lua script with the end of this conversation.
import { leafChargeBasis } from '../domain/catalogue.js';
import type { AccountState } from '../domain/account-state.js';
import { NODES } from '../domain/nodes.js';
import { formatTel } from '../domain/phone.js';
import { defineCommand } from './contract.js';
import { type NoData, noData } from './no-data.js';
import { payerName } from './payer.js';
import { done, finish, handedOn } from './views.js';

const offerOf = (state: AccountState) => (state.kind === 'trial' ? state.offer : undefined);

export const acceptPayer = defineCommand<'answer', NoData>({
  node: NODES.acceptPayer,
  name: 'Accept an offer to pay for my account',
  chatWords: ['accept'],
  access: (_who, state) => (offerOf(state) ? 'listed' : 'allowed'),
  // The offer says "reply yes": that reply, with nothing else going on, opens this and answers it.
  opensChatFor: (state) => offerOf(state) !== undefined,
  answersOpener: true,
  data: noData,
  start: 'answer',
  steps: {
    answer: {
      leadsTo: [],
      async view(ctx) {
        const offer = offerOf(await ctx.deps.accountState(ctx.who.bare));
        if (!offer) return done('Nobody has offered to pay for your account.');
        return {
          kind: 'form',
          form: {
            title: 'An offer to pay for your account',
            fields: [
              {
                type: 'boolean',
                var: 'accept',
                label: `${await payerName(ctx, offer)} offers to pay for your account: your trial ends, they pay from this month on, and you keep your number. Accept?`,
                required: true,
              },
            ],
          },
          actions: ['complete'],
          defaultAction: 'complete',
        };
      },
      async submit(ctx, _data, values) {
        const { deps, who } = ctx;
        const state = await deps.accountState(who.bare);
        const offer = offerOf(state);
        if (!offer) return finish('That offer is no longer open.');
        const payer = await payerName(ctx, offer);
        const tel = 'tel' in state ? ` (${formatTel(state.tel)})` : '';
        if (values.accept !== true) {
          // The main is not told: only a trial account can decline, so that would say what this address is.
          await deps.leaves.decline(offer.main, who.bare);
          return finish('Declined: your trial goes on as before.');
        }
        return {
          claim: {
            kind: 'accept-payer',
            jid: who.bare,
            main: offer.main,
            list: offer.list,
            show: offer.show,
            at: deps.now(),
            trialPlans: deps.settings.trialPlans,
            leafCharge: leafChargeBasis(deps.settings.catalogue, deps.now()),
            tells: [{ to: offer.main, body: `${who.bare}${tel} accepted: you now pay for their account.`, why: 'payer-accepted' }],
          },
          holds: handedOn(`Accepted: your account is paid for by ${payer} from this month on, and your number stays yours.`),
          refused: (why) =>
            finish(
              why === 'payer-cannot'
                ? 'They cannot pay for your account right now, so your trial goes on.'
                : 'That offer is no longer open.',
              'warn',
            ),
        };
      },
    },
  },
});
