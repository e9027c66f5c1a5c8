// Phone numbers as people type them and as we show them. Pure.
import type { NumberInfo } from './ports.js';

/** E.164 for what a person typed (`416-555-0100`, `1 (416) 555 0100`, `+14165550100`), or undefined. */
export function toE164(text: string): string | undefined {
  const t = text.trim();
  if (!/^\+?[\d\s().-]+$/.test(t)) return undefined;
  const digits = t.replace(/\D/g, '');
  if (t.startsWith('+')) return digits.length >= 8 && digits.length <= 15 ? `+${digits}` : undefined;
  if (digits.length === 10) return `+1${digits}`;
  if (digits.length === 11 && digits.startsWith('1')) return `+${digits}`;
  return undefined;
}

/** `+14165550100` → `+1 416 555 0100` (North American grouping; others unchanged). */
export function formatTel(tel: string): string {
  const m = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(tel);
  return m ? `+1 ${m[1]} ${m[2]} ${m[3]}` : tel;
}

export type NumberSearch = { readonly by: 'tel' | 'place'; readonly prefix: string; readonly text: string };

/** How places are indexed and searched: lower case, accents dropped (`Montréal` and `montreal` are one place). */
export function foldPlace(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** What a search means: an area code (`416`), a number prefix (`+1416555`), or a place (`Toronto`). */
export function parseSearch(text: string): NumberSearch | undefined {
  const t = text.trim().normalize('NFC');
  if (t === '') return undefined;
  if (/^\d{3}$/.test(t)) return { by: 'tel', prefix: `+1${t}`, text: t };
  if (/^\+\d{1,14}$/.test(t)) return { by: 'tel', prefix: t, text: t };
  if (/^\p{L}[\p{L} .,'-]*$/u.test(t)) return { by: 'place', prefix: foldPlace(t), text: t };
  return undefined;
}

/** `+1 416 555 0100 (Toronto, ON)`: a number with its rate centre, as every list and summary shows it. */
export function numberLabel(n: NumberInfo): string {
  const place = [n.rateCentre, n.region].filter(Boolean).join(', ');
  return place ? `${formatTel(n.tel)} (${place})` : formatTel(n.tel);
}
