// XML text ↔ elements for transcripts: parse what a fixture sends, print what the bot answers, one way only.
import xmlFactory from '@xmpp/xml';
import type { Element } from '../../src/xmpp/xml.js';

type ParserLike = { on(ev: string, f: (el: Element) => void): void; write(s: string): void; end(): void };
const Parser = (xmlFactory as unknown as { Parser: new () => ParserLike }).Parser;

/** One element from its XML text (the same Element class the bot builds with). */
export function parseXml(text: string): Element {
  const p = new Parser();
  let root: Element | undefined;
  let error: unknown;
  p.on('start', (el) => {
    root = el;
  });
  p.on('element', (el) => {
    root?.append(el);
  });
  p.on('error', (err) => {
    error = err;
  });
  p.write(text.trim());
  p.end();
  if (error || !root) throw new Error(`not XML: ${text.trim().slice(0, 80)} (${String(error ?? 'empty')})`);
  return root;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const attr = (s: string) => esc(s).replace(/'/g, '&apos;');

/** Indented, attributes in the order the bot wrote them, text kept as it is (newlines included). */
export function printXml(el: Element, indent = ''): string {
  const attrs = Object.entries(el.attrs)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}='${attr(String(v))}'`)
    .join('');
  const kids = el.children.filter((c) => typeof c !== 'string' || c.trim() !== '');
  if (kids.length === 0) return `${indent}<${el.name}${attrs}/>`;
  if (kids.every((c) => typeof c === 'string')) return `${indent}<${el.name}${attrs}>${esc(kids.join(''))}</${el.name}>`;
  const inner = kids.map((c) => (typeof c === 'string' ? `${indent}  ${esc(c)}` : printXml(c as Element, `${indent}  `)));
  return [`${indent}<${el.name}${attrs}>`, ...inner, `${indent}</${el.name}>`].join('\n');
}
