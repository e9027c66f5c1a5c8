import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseInventoryCsv, splitCsv } from '../../src/store/inventory-csv.js';

const HEADER = 'tel,rate_centre,region';

describe('parseInventoryCsv', () => {
  it('reads good rows in file order, with their line numbers', () => {
    const r = parseInventoryCsv(`${HEADER}\n+14165550100,Toronto,ON\n+15145550100,Montréal,QC\n`);
    expect(r.headerOk).toBe(true);
    expect(r.problems).toEqual([]);
    expect(r.rows).toEqual([
      { tel: '+14165550100', rateCentre: 'Toronto', region: 'ON' },
      { tel: '+15145550100', rateCentre: 'Montréal', region: 'QC' },
    ]);
    expect(r.lines).toEqual([2, 3]);
  });

  it('accepts a header in any case with spaces, a BOM, CRLF and a missing final newline', () => {
    const r = parseInventoryCsv(`\uFEFF Tel , RATE_CENTRE,Region \r\n+14165550100,Toronto,ON\r\n+16045550100, Vancouver , BC`);
    expect(r.headerOk).toBe(true);
    expect(r.problems).toEqual([]);
    expect(r.rows).toEqual([
      { tel: '+14165550100', rateCentre: 'Toronto', region: 'ON' },
      { tel: '+16045550100', rateCentre: 'Vancouver', region: 'BC' },
    ]);
  });

  it('supports quoted fields with commas and doubled quotes', () => {
    const r = parseInventoryCsv(
      `${HEADER}\n+14505550100,"Saint-Jean-sur-Richelieu, East",QC\n"+14165550100", "Toronto ""Downtown""" ,"ON"\n`,
    );
    expect(r.problems).toEqual([]);
    expect(r.rows).toEqual([
      { tel: '+14505550100', rateCentre: 'Saint-Jean-sur-Richelieu, East', region: 'QC' },
      { tel: '+14165550100', rateCentre: 'Toronto "Downtown"', region: 'ON' },
    ]);
  });

  it('skips blank lines but keeps counting them', () => {
    const r = parseInventoryCsv(`${HEADER}\n\n+14165550100,Toronto,ON\n   \r\n\nbad,Toronto,ON\n\n`);
    expect(r.rows.map((x) => x.tel)).toEqual(['+14165550100']);
    expect(r.lines).toEqual([3]);
    expect(r.problems).toEqual([{ line: 6, message: 'tel "bad" is not an E.164 number like +14165550100' }]);
  });

  it('reports one problem per bad line, with the line number', () => {
    const text = [
      HEADER, // 1
      '+14165550100,Toronto,ON', // 2 good
      '4165550101,Toronto,ON', // 3 no +
      '+04165550102,Toronto,ON', // 4 leading 0
      '+1416555,Toronto,ON', // 5 too short (7 digits)
      '+1416555010012345,Toronto,ON', // 6 too long (16 digits)
      '+14165550103,Toronto', // 7 missing region
      '+14165550104', // 8 missing both
      '+14165550105,,ON', // 9 empty rate centre
      '+14165550106,Toronto,  ', // 10 empty region
      ',,', // 11 all empty
      '+14165550107,Saint-Jean-sur-Richelieu, East,QC', // 12 unquoted comma
      '+14165550100,Toronto,ON', // 13 duplicate of 2
      '+1 416 555 0108,Toronto,ON', // 14 spaces
      '+14165550109,Tor"onto,ON', // 15 stray quote
      '+14165550110,"Toronto" x,ON', // 16 text after a closing quote
      '+14165550111,Toronto,ON', // 17 good
    ].join('\n');
    const r = parseInventoryCsv(text);
    expect(r.rows.map((x) => x.tel)).toEqual(['+14165550100', '+14165550111']);
    expect(r.lines).toEqual([2, 17]);
    expect(r.problems).toEqual([
      { line: 3, message: 'tel "4165550101" is not an E.164 number like +14165550100' },
      { line: 4, message: 'tel "+04165550102" is not an E.164 number like +14165550100' },
      { line: 5, message: 'tel "+1416555" is not an E.164 number like +14165550100' },
      { line: 6, message: 'tel "+1416555010012345" is not an E.164 number like +14165550100' },
      { line: 7, message: 'region missing (expected tel,rate_centre,region)' },
      { line: 8, message: 'rate_centre and region missing (expected tel,rate_centre,region)' },
      { line: 9, message: 'rate_centre is empty' },
      { line: 10, message: 'region is empty' },
      { line: 11, message: 'tel is empty; rate_centre is empty; region is empty' },
      { line: 12, message: '4 fields, expected 3 (tel,rate_centre,region); put a field that contains a comma in double quotes' },
      { line: 13, message: '+14165550100 is a duplicate of line 2' },
      { line: 14, message: 'tel "+1 416 555 0108" is not an E.164 number like +14165550100' },
      { line: 15, message: 'a quote inside an unquoted field (quote the whole field, and write "" for a quote inside it)' },
      { line: 16, message: 'unexpected text after a closing quote (quote the whole field, and write "" for a quote inside it)' },
    ]);
  });

  it('accepts the shortest and longest E.164 numbers', () => {
    const r = parseInventoryCsv(`${HEADER}\n+12345678,X,Y\n+123456789012345,X,Y\n`);
    expect(r.problems).toEqual([]);
    expect(r.rows).toHaveLength(2);
  });

  it('counts lines inside a quoted field that spans lines, and rejects the line break', () => {
    const r = parseInventoryCsv(`${HEADER}\n+14165550100,"Tor\nonto",ON\n+14165550101,Toronto,ON\n`);
    expect(r.problems).toEqual([{ line: 2, message: 'rate_centre contains a line break' }]);
    expect(r.lines).toEqual([4]);
  });

  it('reports an unclosed quote once and stops there', () => {
    const r = parseInventoryCsv(`${HEADER}\n+14165550100,Toronto,ON\n+14165550101,"Toronto,ON\n+14165550102,Toronto,ON\n`);
    expect(r.rows.map((x) => x.tel)).toEqual(['+14165550100']);
    expect(r.problems).toEqual([{ line: 3, message: 'a quoted field is not closed (missing ")' }]);
  });

  it('refuses a wrong or missing header, importing nothing', () => {
    for (const header of ['number,rate_centre,region', 'tel,region,rate_centre', 'tel,rate_centre', 'tel,rate_centre,region,extra']) {
      const r = parseInventoryCsv(`${header}\n+14165550100,Toronto,ON\n`);
      expect(r.headerOk, header).toBe(false);
      expect(r.rows).toEqual([]);
      expect(r.problems).toEqual([{ line: 1, message: `the header must be "tel,rate_centre,region", found ${JSON.stringify(header)}` }]);
    }
    const noHeader = parseInventoryCsv('+14165550100,Toronto,ON\n');
    expect(noHeader.headerOk).toBe(false);
    expect(noHeader.rows).toEqual([]);
  });

  it('reports the header on its real line when the file starts with blank lines', () => {
    const r = parseInventoryCsv(`\n\nfoo,bar\n`);
    expect(r.problems).toEqual([{ line: 3, message: 'the header must be "tel,rate_centre,region", found "foo,bar"' }]);
  });

  it('treats an empty file as a missing header, and a header alone as nothing to do', () => {
    for (const text of ['', '\uFEFF', '\n\r\n  \n']) {
      const r = parseInventoryCsv(text);
      expect(r.headerOk).toBe(false);
      expect(r.problems).toEqual([{ line: 1, message: 'the file is empty; the first line must be the header "tel,rate_centre,region"' }]);
    }
    expect(parseInventoryCsv(`${HEADER}\r\n`)).toEqual({ rows: [], lines: [], problems: [], headerOk: true });
  });

  it('parses the sample inventory without problems', () => {
    const text = readFileSync(new URL('../../samples/numbers.csv', import.meta.url), 'utf8');
    const r = parseInventoryCsv(text);
    expect(r.problems).toEqual([]);
    expect(r.rows.length).toBeGreaterThanOrEqual(20);
    expect(r.rows).toContainEqual({ tel: '+14505550100', rateCentre: 'Saint-Jean-sur-Richelieu, East', region: 'QC' });
    for (const row of r.rows) expect(row.tel).toMatch(/^\+1\d{3}55501\d\d$/);
  });
});

describe('splitCsv', () => {
  it('keeps empty trailing fields and handles a lone CR as a line end', () => {
    expect(splitCsv('a,b,\rc')).toEqual([
      { line: 1, fields: ['a', 'b', ''] },
      { line: 2, fields: ['c'] },
    ]);
  });
});
