// Every IQ get or set gets exactly one answer, however deep or large: nested payloads used to go unanswered
// (the error reply copied the request's child and overflowed the stack while serialising it).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Element } from '../harness/client.js';
import { bed, chat, type Bed } from './bot-fixture.js';

let b: Bed;
beforeAll(async () => {
  b = await bed();
  await b.start();
});
afterAll(async () => b?.close());

const deep = (n: number) => `${'<a>'.repeat(n)}${'</a>'.repeat(n)}`;

/** Write a raw IQ (the client library would overflow building it) and wait for the answer with its id. */
async function rawIq(u: Awaited<ReturnType<Bed['user']>>, id: string, inner: string): Promise<Element> {
  const answered = new Promise<Element>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no answer to ${id}`)), 5000);
    u.xmpp.on('stanza', (s: Element) => {
      if (s.is('iq') && s.attrs.id === id) {
        clearTimeout(t);
        resolve(s);
      }
    });
  });
  await u.xmpp.write(`<iq type='get' id='${id}' to='${b.botJid}'>${inner}</iq>`);
  return answered;
}

describe('limits', () => {
  it.each([
    ['an unknown payload 20,000 deep', `<query xmlns='urn:fuzz:deep'>${deep(20_000)}</query>`],
    ['a command 5,000 deep', `<command xmlns='http://jabber.org/protocol/commands' node='nope'>${deep(5_000)}</command>`],
    ['disco#info 5,000 deep', `<query xmlns='http://jabber.org/protocol/disco#info'>${deep(5_000)}</query>`],
    ['10,000 elements side by side', `<query xmlns='urn:fuzz:wide'>${'<a/>'.repeat(10_000)}</query>`],
    ['200 KB of text', `<query xmlns='urn:fuzz:long'>${'x'.repeat(200_000)}</query>`],
  ])('%s gets one not-acceptable answer that does not echo it', async (_name, inner) => {
    const u = await b.user();
    const id = `fuzz-${Math.random().toString(36).slice(2)}`;
    const answer = await rawIq(u, id, inner);
    expect(answer.attrs.type).toBe('error');
    const error = answer.getChild('error');
    expect(error?.getChild('not-acceptable', 'urn:ietf:params:xml:ns:xmpp-stanzas')).toBeTruthy();
    expect(error?.getChildText('text', 'urn:ietf:params:xml:ns:xmpp-stanzas')).toBe('That request is too large or too deeply nested.');
    expect(answer.toString().length).toBeLessThan(1000);
    // The bot goes on answering.
    expect(await chat(u, b.botJid, 'hello')).toMatch(/Choose your phone number/);
  });
});
