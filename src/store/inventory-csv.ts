// Parsing of a number-inventory CSV (`tel,rate_centre,region`). Pure: text in, rows and problems out; no I/O.
//
// Accepted: a UTF-8 BOM, CRLF or LF line ends, blank lines, RFC 4180 quoting ("a, b" and "" for a quote),
// spaces around fields. Every bad line yields exactly one problem (its messages joined with "; "),
// so `problems.length` is the number of data lines skipped.
import type { NumberInfo } from '../domain/ports.js';

export const INVENTORY_HEADER = ['tel', 'rate_centre', 'region'] as const;
export const E164 = /^\+[1-9]\d{7,14}$/;

export interface CsvProblem {
  /** 1-based line number in the file (the line a record starts on). */
  readonly line: number;
  readonly message: string;
}

export interface InventoryCsv {
  /** Good rows, in file order, without duplicates. */
  readonly rows: NumberInfo[];
  /** `lines[i]` is the line `rows[i]` came from. */
  readonly lines: number[];
  /** One entry per skipped line, in file order. */
  readonly problems: CsvProblem[];
  /** False when the header is missing or wrong: then `rows` is empty and `problems` says why (line 1). */
  readonly headerOk: boolean;
}

interface RawRecord {
  readonly line: number;
  readonly fields: string[];
  /** A syntax error in this record (quotes), if any. */
  readonly error?: string;
}

/** Splits CSV text into records of trimmed fields. Blank lines produce no record. */
export function splitCsv(text: string): RawRecord[] {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const out: RawRecord[] = [];
  let i = 0;
  let line = 1;
  const n = src.length;
  const atEol = (k: number) => k >= n || src[k] === '\n' || src[k] === '\r';
  /** Index after the line end at k (CRLF, LF or CR), counting the line. */
  const skipEol = (k: number) => {
    if (k >= n) return k;
    line++;
    return src[k] === '\r' && src[k + 1] === '\n' ? k + 2 : k + 1;
  };

  while (i < n) {
    const start = line;
    const fields: string[] = [];
    let error: string | undefined;
    let blank = true;
    for (;;) {
      // one field
      while (i < n && (src[i] === ' ' || src[i] === '\t')) i++;
      if (src[i] === '"') {
        blank = false;
        i++;
        let value = '';
        let closed = false;
        while (i < n) {
          const c = src[i]!;
          if (c === '"') {
            if (src[i + 1] === '"') {
              value += '"';
              i += 2;
              continue;
            }
            i++;
            closed = true;
            break;
          }
          if (c === '\r' || c === '\n') {
            value += '\n';
            i = skipEol(i);
            continue;
          }
          value += c;
          i++;
        }
        if (!closed) {
          error = 'a quoted field is not closed (missing ")';
          fields.push(value);
          break;
        }
        while (i < n && (src[i] === ' ' || src[i] === '\t')) i++;
        if (!atEol(i) && src[i] !== ',') {
          error ??= 'unexpected text after a closing quote (quote the whole field, and write "" for a quote inside it)';
          while (!atEol(i) && src[i] !== ',') i++;
        }
        fields.push(value);
      } else {
        let value = '';
        while (!atEol(i) && src[i] !== ',') value += src[i++];
        if (value.trim() !== '') blank = false;
        if (value.includes('"')) error ??= 'a quote inside an unquoted field (quote the whole field, and write "" for a quote inside it)';
        fields.push(value.trim());
      }
      if (src[i] === ',') {
        blank = false;
        i++;
        continue;
      }
      break;
    }
    i = skipEol(i);
    if (blank && !error) continue;
    out.push({ line: start, fields, ...(error ? { error } : {}) });
  }
  return out;
}

const show = (s: string) => JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);

/** Parses an inventory file. Never throws. */
export function parseInventoryCsv(text: string): InventoryCsv {
  const records = splitCsv(text);
  const rows: NumberInfo[] = [];
  const lines: number[] = [];
  const problems: CsvProblem[] = [];
  const expected = INVENTORY_HEADER.join(',');

  const header = records[0];
  if (!header) {
    return {
      rows,
      lines,
      problems: [{ line: 1, message: `the file is empty; the first line must be the header "${expected}"` }],
      headerOk: false,
    };
  }
  const got = header.fields.map((f) => f.trim().toLowerCase());
  if (header.error || got.join(',') !== expected) {
    const found = header.fields.join(',');
    return {
      rows,
      lines,
      problems: [{ line: header.line, message: `the header must be "${expected}", found ${show(found)}` }],
      headerOk: false,
    };
  }

  const seen = new Map<string, number>();
  for (const rec of records.slice(1)) {
    if (rec.error) {
      problems.push({ line: rec.line, message: rec.error });
      continue;
    }
    if (rec.fields.length < INVENTORY_HEADER.length) {
      const missing = INVENTORY_HEADER.slice(rec.fields.length).join(' and ');
      problems.push({ line: rec.line, message: `${missing} missing (expected ${expected})` });
      continue;
    }
    if (rec.fields.length > INVENTORY_HEADER.length) {
      problems.push({
        line: rec.line,
        message: `${rec.fields.length} fields, expected 3 (${expected}); put a field that contains a comma in double quotes`,
      });
      continue;
    }
    const [tel, rateCentre, region] = rec.fields as [string, string, string];
    const wrong: string[] = [];
    if (tel === '') wrong.push('tel is empty');
    else if (!E164.test(tel)) wrong.push(`tel ${show(tel)} is not an E.164 number like +14165550100`);
    for (const [name, v] of [
      ['rate_centre', rateCentre],
      ['region', region],
    ] as const) {
      if (v.trim() === '') wrong.push(`${name} is empty`);
      else if (/[\r\n]/.test(v)) wrong.push(`${name} contains a line break`);
    }
    if (wrong.length) {
      problems.push({ line: rec.line, message: wrong.join('; ') });
      continue;
    }
    const first = seen.get(tel);
    if (first !== undefined) {
      problems.push({ line: rec.line, message: `${tel} is a duplicate of line ${first}` });
      continue;
    }
    seen.set(tel, rec.line);
    rows.push({ tel, rateCentre: rateCentre.trim(), region: region.trim() });
    lines.push(rec.line);
  }
  return { rows, lines, problems, headerOk: true };
}
