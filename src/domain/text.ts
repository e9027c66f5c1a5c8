// Text shown to a person, which may name another command. Each UI says that its own way: chat as the word to
// send (send "upgrade"), ad-hoc as the command's name (run the “Upgrade or renew your account” command).

/** A reference to another command by node; `word` picks one of its chat words (default: the first). */
export interface CommandRef {
  readonly command: string;
  readonly word?: string;
  /** Whether the phrase starts a sentence ("Send …" / "Run …"). */
  readonly capital?: boolean;
}

export type Segment = string | CommandRef;
/** Plain text, or text with command references in it. */
export type Text = string | readonly Segment[];

/** `send "word"` in chat, `run the “name” command` in ad-hoc, inside a sentence. */
export const send = (command: string, word?: string): CommandRef => ({ command, ...(word ? { word } : {}) });
/** The same at the start of a sentence. */
export const Send = (command: string, word?: string): CommandRef => ({ command, ...(word ? { word } : {}), capital: true });

/** Text with command references: text`${Send('status')} for details.` */
export function text(strings: TemplateStringsArray, ...refs: readonly Segment[]): Text {
  const out: Segment[] = [];
  strings.forEach((s, i) => {
    if (s) out.push(s);
    const r = refs[i];
    if (r !== undefined && r !== '') out.push(r);
  });
  return out;
}

/** Spell the text out, with `say` turning each reference into words. */
export function spell(t: Text, say: (ref: CommandRef) => string): string {
  return typeof t === 'string' ? t : t.map((s) => (typeof s === 'string' ? s : say(s))).join('');
}

/** Text joined to more text (e.g. two lines), keeping references. */
export function join(parts: readonly Text[], separator = '\n'): Text {
  const out: Segment[] = [];
  parts.forEach((p, i) => {
    if (i > 0) out.push(separator);
    if (typeof p === 'string') out.push(p);
    else out.push(...p);
  });
  return out;
}
