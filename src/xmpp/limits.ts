// Bounds on what the bot reads (RFC 6120 §8.3.3.10 not-acceptable): a request nested too deep, with too many
// elements or too much text is answered at once, without being read further or echoed back in the error.
import { type Element, xml } from './xml.js';

export const LIMITS = { depth: 32, elements: 2000, textBytes: 64 * 1024 } as const;
export const NS_LIMITS = 'urn:jmp-account-bot:limits';

/** Whether `el` stays within LIMITS; walked with a stack of its own (a recursive walk would overflow first). */
export function withinLimits(el: Element): boolean {
  const todo: [Element, number][] = [[el, 1]];
  let elements = 0;
  let text = 0;
  while (todo.length) {
    const [e, depth] = todo.pop() as [Element, number];
    if (depth > LIMITS.depth || ++elements > LIMITS.elements) return false;
    for (const c of e.children) {
      if (typeof c === 'string') {
        text += c.length;
        if (text > LIMITS.textBytes) return false;
      } else todo.push([c as Element, depth + 1]);
    }
  }
  return true;
}

/**
 * An IQ over the limits keeps only a small stand-in for its payload, so whatever answers it (our handler for the
 * stand-in, or the library's own error reply, which copies the payload) stays small.
 */
export function boundIq(stanza: Element): void {
  if (!stanza.is('iq') || withinLimits(stanza)) return;
  stanza.children = [xml('oversize', { xmlns: NS_LIMITS })];
}
