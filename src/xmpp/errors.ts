// RFC 6120 §8.3 stanza errors and XEP-0050 §4.6 command errors: the one place a CommandError becomes XML.
import type { Condition } from '../domain/errors.js';
import { NS_COMMANDS } from '../adhoc/ns.js';
import { xml, type Element } from './xml.js';

export const NS_STANZAS = 'urn:ietf:params:xml:ns:xmpp-stanzas';

type Mapping = { readonly type: 'modify' | 'cancel' | 'auth' | 'wait'; readonly stanza: string; readonly specific?: string };

/** Exhaustive: adding a Condition without a mapping does not compile. */
const MAPPING: Record<Condition, Mapping> = {
  'bad-request': { type: 'modify', stanza: 'bad-request' },
  'not-allowed': { type: 'cancel', stanza: 'not-allowed' },
  forbidden: { type: 'cancel', stanza: 'forbidden' },
  'item-not-found': { type: 'cancel', stanza: 'item-not-found' },
  'service-unavailable': { type: 'wait', stanza: 'service-unavailable' },
  'not-acceptable': { type: 'modify', stanza: 'not-acceptable' },
  'bad-action': { type: 'modify', stanza: 'bad-request', specific: 'bad-action' },
  'bad-locale': { type: 'modify', stanza: 'bad-request', specific: 'bad-locale' },
  'bad-payload': { type: 'modify', stanza: 'bad-request', specific: 'bad-payload' },
  'bad-sessionid': { type: 'modify', stanza: 'bad-request', specific: 'bad-sessionid' },
  'malformed-action': { type: 'modify', stanza: 'bad-request', specific: 'malformed-action' },
  'session-expired': { type: 'cancel', stanza: 'not-allowed', specific: 'session-expired' },
};

export function errorElement(condition: Condition, text?: string): Element {
  const m = MAPPING[condition];
  return xml(
    'error',
    { type: m.type },
    xml(m.stanza, { xmlns: NS_STANZAS }),
    text ? xml('text', { xmlns: NS_STANZAS, 'xml:lang': 'en' }, text) : null,
    m.specific ? xml(m.specific, { xmlns: NS_COMMANDS }) : null,
  );
}
