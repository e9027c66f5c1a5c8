// Stanza building with @xmpp/xml (the Element class @xmpp/component checks with instanceof; never ltx's ESM root).
import xmlFactory, { type Element as XmlElement } from '@xmpp/xml';

// @xmpp/xml 0.13 is CommonJS with exports added by Object.assign, which Node's ESM loader cannot name:
// take Element from the default export.
export const Element = (xmlFactory as unknown as { Element: typeof XmlElement }).Element;
export type Element = XmlElement;
export type Child = Element | string | null | undefined | false;

/** xml() that drops absent children and undefined attributes, so optional parts read naturally. */
export function xml(name: string, attrs: Record<string, string | number | undefined> = {}, ...children: Child[]): Element {
  const clean: Record<string, string> = {};
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) clean[k] = String(v);
  const kids = children.filter((c): c is Element | string => c !== null && c !== undefined && c !== false);
  return xmlFactory(name, clean, ...kids);
}
