// "Show my number": the requester's own number.
import { isRegistered } from '../domain/account-state.js';
import { NODES } from '../domain/nodes.js';
import { formatTel } from '../domain/phone.js';
import { noNumberYet } from '../domain/wording.js';
import { registeredOnly } from './access.js';
import { defineCommand, type Step } from './contract.js';
import { type NoData, noData } from './no-data.js';
import { done } from './views.js';

const show: Step<'show', NoData> = {
  leadsTo: [],
  async view(ctx) {
    const state = await ctx.deps.accountState(ctx.who.bare);
    return done(isRegistered(state) ? `Your number is ${formatTel(state.tel)}.` : noNumberYet);
  },
  submit: async () => ({ done: done('') }),
};

export const myNumber = defineCommand<'show', NoData>({
  node: NODES.number,
  name: 'Show my number',
  chatWords: ['number', 'n'],
  access: registeredOnly,
  data: noData,
  start: 'show',
  steps: { show },
});
