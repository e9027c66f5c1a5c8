// Signup that starts on the web site (SignupViaAccountBot: "Integration with web site (jmp-register)"): the site,
// an XMPP client with its own JID in WEB_REGISTER_JIDS, names an address and a number; the bot holds the number for
// that address and tells it (through the outbox). The site's answer is the same whatever the address is.
import { type AccountState, mayChooseNumber } from '../domain/account-state.js';
import { NODES } from '../domain/nodes.js';
import { formatTel, toE164 } from '../domain/phone.js';
import { type NumberInfo, type Tell, webHolder } from '../domain/ports.js';
import { webChosenText } from '../domain/wording.js';
import { webSiteOnly } from './access.js';
import { type Command, type Ctx, defineCommand, type Step } from './contract.js';
import type { Field } from '../forms/types.js';
import { type NoData, noData } from './no-data.js';
import { finish } from './views.js';

const JID = /^[^@/\s]+@[^@/\s]+$/;
/** A number no inventory has, for a read that must happen anyway. */
const NOBODY = '+10000000000';
const tooOften = finish('That address was sent the message too often in the last hour; try again later.', 'warn');

/** The address the site typed, as a bare JID (a resource is dropped), or undefined when it is not one. */
function bareOf(text: unknown): string | undefined {
  const jid = String(text ?? '')
    .trim()
    .toLowerCase()
    .replace(/\/.*$/, '');
  return JID.test(jid) ? jid : undefined;
}

const notAJid = (text: unknown) => finish(`“${String(text ?? '')}” is not an address like name@example.org.`, 'error');

/** The person's message, by what the address is (the site never sees it). */
function tellFor(ctx: Ctx, jid: string, state: AccountState, n: NumberInfo): Tell[] {
  return [{ to: jid, body: webChosenText(state, n, ctx.deps.settings.webRegister.holdSeconds), why: 'web-register' }];
}

/** A command of the web site's: one form, completed at once. */
function siteCommand(node: string, name: string, title: string, fields: Field[], submit: Step<'ask', NoData>['submit']): Command {
  return defineCommand<'ask', NoData>({
    node,
    name,
    chatWords: [],
    access: webSiteOnly,
    data: noData,
    start: 'ask',
    steps: {
      ask: {
        leadsTo: [],
        async view() {
          return { kind: 'form', form: { title, fields }, actions: ['complete'], defaultAction: 'complete' };
        },
        submit,
      },
    },
  });
}

const jidField: Field = { type: 'jid-single', var: 'jid', label: 'Their address (JID)', required: true };

export const webRegister = siteCommand(
  NODES.webRegister,
  'Choose a number for an address (web site)',
  'Choose a number for an address',
  [jidField, { type: 'text-single', var: 'tel', label: 'The number (E.164, e.g. +14165550100)', required: true }],
  async (ctx, _data, values) => {
    const jid = bareOf(values.jid);
    if (!jid) return notAJid(values.jid);
    const tel = toE164(String(values.tel ?? ''));
    if (!tel) return finish(`“${String(values.tel ?? '')}” is not a phone number like +14165550100.`, 'error');
    const unavailable = finish(`${formatTel(tel)} is not available: choose another number.`, 'error');
    // The number first, alike for every address: whether it is free says nothing about who asked for it.
    const n = await ctx.deps.numbers.info(tel, webHolder(jid));
    if (!n) return unavailable;
    const state = await ctx.deps.accountState(jid);
    const r = await ctx.deps.web.choose({
      jid,
      tel,
      holdSeconds: ctx.deps.settings.webRegister.holdSeconds,
      at: ctx.deps.now(),
      tells: tellFor(ctx, jid, state, n),
      tellLapse: mayChooseNumber(state),
      perHour: ctx.deps.settings.webRegister.messagesPerHour,
    });
    if (r === 'unavailable') return unavailable;
    if (r === 'limited') return tooOften;
    return finish(`A message was sent to that address. ${formatTel(tel)} is held for it while it answers.`);
  },
);

export const webRegisterResend = siteCommand(
  NODES.webRegisterResend,
  'Send the message to an address again (web site)',
  'Send the message again',
  [jidField],
  async (ctx, _data, values) => {
    const jid = bareOf(values.jid);
    if (!jid) return notAJid(values.jid);
    const [state, tel] = await Promise.all([ctx.deps.accountState(jid), ctx.deps.web.choiceOf(jid)]);
    // Read whatever the address is (with no number waiting, one that is nobody's): the timing says nothing.
    const n = (await ctx.deps.numbers.info(tel ?? NOBODY, webHolder(jid))) ?? { tel: tel ?? '', rateCentre: '', region: '' };
    const tells = tellFor(ctx, jid, state, n);
    const r = await ctx.deps.web.resend(jid, ctx.deps.settings.webRegister.messagesPerHour, tells);
    if (r === 'limited') return tooOften;
    return finish('If a number waits for that address, the message was sent again.');
  },
);
