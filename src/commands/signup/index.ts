// Signup (node jabber:iq:register, as Cheogram and Slidge use): choose (→ results) → confirm → options, then for card
// payment plan → pay (the link), for a referral code the code. A signup the web site began starts at `web` (its
// number), which goes on as confirm does.
import { mayChooseNumber, webChoiceOf } from '../../domain/account-state.js';
import { NODES } from '../../domain/nodes.js';
import { defineCommand } from '../contract.js';
import { type PurchaseData, purchaseData } from '../payment/data.js';
import { payStep } from '../payment/pay.js';
import { planStep } from '../payment/plan.js';
import { chooseStep } from './choose.js';
import { codeStep } from './code.js';
import { confirmStep } from './confirm.js';
import { optionsStep } from './options.js';
import { webStep } from './web.js';

type SignupStep = 'web' | 'choose' | 'results' | 'confirm' | 'options' | 'plan' | 'pay' | 'code';

export const signup = defineCommand<SignupStep, PurchaseData>({
  node: NODES.signup,
  name: 'Sign up for a phone number',
  chatWords: ['signup', 'register'],
  access: (_who, state) => (mayChooseNumber(state) ? 'listed' : 'allowed'),
  // A newcomer's first message starts signup; so does a pending person's (who is told where they stand).
  opensChatFor: (state) => mayChooseNumber(state) || state.kind === 'pending',
  // A number the web site chose waits for this person: signup starts at it, and "y" to its message answers it.
  answersOpener: (state) => webChoiceOf(state) !== undefined,
  startAt: (state) => (webChoiceOf(state) ? 'web' : 'choose'),
  data: purchaseData,
  start: 'choose',
  steps: {
    web: webStep({ self: 'web', choose: 'choose', results: 'results', confirm: 'confirm', options: 'options' }),
    choose: chooseStep({ self: 'choose', list: 'choose', results: 'results', confirm: 'confirm' }, false),
    results: chooseStep({ self: 'results', list: 'choose', results: 'results', confirm: 'confirm' }, true),
    confirm: confirmStep({ self: 'confirm', choose: 'choose', options: 'options' }),
    options: optionsStep({ self: 'options', choose: 'choose', plan: 'plan', pay: 'pay', code: 'code' }),
    code: codeStep({ self: 'code', choose: 'choose' }),
    plan: planStep({ self: 'plan', pay: 'pay' }),
    pay: payStep({ self: 'pay', back: 'options', choose: 'choose' }),
  },
  async release(ctx, data) {
    if (data.reserved) await ctx.deps.numbers.release(data.reserved, ctx.sessionId, ctx.who.bare);
  },
});
