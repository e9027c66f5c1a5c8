// RFC 6121 §5 messages the chat adapter answers: chat/normal with a body. Never error (no loops), groupchat or headline.
import type { Incoming } from '../fallback/adapter.js';
import type { Element } from './xml.js';

const NS_REPLY = 'urn:xmpp:reply:0';
const NS_DELAY = 'urn:xmpp:delay';
/** Longest body the bot reads; longer ones are cut (no menu answer is this long). */
const MAX_BODY = 2000;

export function readIncoming(stanza: Element): Incoming | undefined {
  if (!stanza.is('message')) return undefined;
  const type = (stanza.attrs.type as string | undefined) ?? 'normal';
  if (type !== 'chat' && type !== 'normal') return undefined;
  const from = stanza.attrs.from as string | undefined;
  const body = stanza.getChildText('body');
  if (!from || body === null || body.trim() === '') return undefined;
  const replyTo = stanza.getChild('reply', NS_REPLY)?.attrs.id as string | undefined;
  const stamp = stanza.getChild('delay', NS_DELAY)?.attrs.stamp as string | undefined;
  const sentAt = stamp ? Date.parse(stamp) : NaN;
  return {
    from,
    body: body.slice(0, MAX_BODY),
    ...(replyTo ? { replyTo } : {}),
    ...(Number.isFinite(sentAt) ? { sentAt } : {}),
  };
}
