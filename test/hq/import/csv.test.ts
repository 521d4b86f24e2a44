import { parse as csvParse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCsv, readCsv, type CsvRecord } from '../../../src-hq/import/csv.js';

async function parse(
  chunks: string | (string | Uint8Array)[],
  options: { maxRecordChars?: number } = {},
): Promise<CsvRecord[]> {
  const out: CsvRecord[] = [];
  for await (const r of readCsv(typeof chunks === 'string' ? [chunks] : chunks, options)) out.push(r);
  return out;
}
const fieldsOf = (records: CsvRecord[]) => records.map((r) => r.fields);

describe('readCsv (RFC 4180)', () => {
  it('reads plain records with LF or CRLF line ends and no final line break', async () => {
    expect(fieldsOf(await parse('a,b,c\n1,2,3\n'))).toEqual([
      ['a', 'b', 'c'],
      ['1', '2', '3'],
    ]);
    expect(fieldsOf(await parse('a,b\r\n1,2\r\n3,4'))).toEqual([
      ['a', 'b'],
      ['1', '2'],
      ['3', '4'],
    ]);
  });

  it('keeps commas, quotes and line breaks inside quoted fields', async () => {
    const records = await parse('name,note\r\n"Doe, Jane","said ""hi""\r\nand left"\r\nx,"multi\nline"\n');
    expect(fieldsOf(records)).toEqual([
      ['name', 'note'],
      ['Doe, Jane', 'said "hi"\r\nand left'],
      ['x', 'multi\nline'],
    ]);
    // Line numbers are where each record starts in the file.
    expect(records.map((r) => r.line)).toEqual([1, 2, 4]);
  });

  it('drops a UTF-8 byte-order mark, as text or as bytes split across chunks', async () => {
    expect(fieldsOf(await parse('\uFEFFsku,name\nA,B\n'))[0]).toEqual(['sku', 'name']);
    const bytes = new TextEncoder().encode('\uFEFFsku,nom\nA,Crème brûlée\n');
    // Split inside the BOM and inside a multi-byte character.
    const chunks = [bytes.slice(0, 2), bytes.slice(2, 17), bytes.slice(17, 27), bytes.slice(27)];
    expect(fieldsOf(await parse(chunks))).toEqual([
      ['sku', 'nom'],
      ['A', 'Crème brûlée'],
    ]);
  });

  it('handles a CRLF split between two chunks, inside and outside quotes', async () => {
    const records = await parse(['a,"x\r', '\ny"\r', '\nb,c']);
    expect(fieldsOf(records)).toEqual([
      ['a', 'x\r\ny'],
      ['b', 'c'],
    ]);
    expect(records.map((r) => r.line)).toEqual([1, 3]);
  });

  it('skips empty lines but keeps a record that is one quoted empty field, and counts lines', async () => {
    const records = await parse('a\n\n""\n\r\nb\n');
    expect(fieldsOf(records)).toEqual([['a'], [''], ['b']]);
    expect(records.map((r) => r.line)).toEqual([1, 3, 5]);
    expect(fieldsOf(await parse('a,\n,\n'))).toEqual([
      ['a', ''],
      ['', ''],
    ]);
  });

  it('reports malformed quoting on the record and carries on with the next one', async () => {
    const records = await parse('a,b\n"x"y,2\nz"q,3\nok,4\n');
    expect(records[1]).toMatchObject({ line: 2, error: expect.stringContaining('after the closing quote') });
    expect(records[2]).toMatchObject({ line: 3, error: expect.stringContaining('quote inside an unquoted') });
    expect(records[3]).toEqual({ line: 4, fields: ['ok', '4'] });
  });

  it('reports a quote never closed, at the end of the file or past the record size limit', async () => {
    const atEnd = await parse('a,b\n1,"never closed\n2,3\n');
    expect(atEnd[1]).toMatchObject({ line: 2, error: expect.stringContaining('not closed') });
    const long = await parse(`a,b\n1,"${'x'.repeat(50)}\n2,3\n4,5\n`, { maxRecordChars: 20 });
    expect(long[1]).toMatchObject({ line: 2, error: expect.stringContaining('longer than 20') });
    // Reading resumes at a line break after the overlong record.
    expect(long.at(-1)).toEqual({ line: 4, fields: ['4', '5'] });
  });

  it('round-trips any records through formatCsv, whatever the chunking (property)', async () => {
    const field = fc.string({ unit: fc.constantFrom('a', 'é', ',', '"', '\r', '\n', ' ', '\uFEFF', 'z') });
    const record = fc.array(field, { minLength: 1, maxLength: 5 });
    await fc.assert(
      fc.asyncProperty(
        fc.array(record, { minLength: 1, maxLength: 8 }),
        fc.array(fc.nat(40), { maxLength: 6 }),
        fc.boolean(),
        async (records, cuts, withBom) => {
          // A record of one empty field written bare would be an empty line: formatCsv quotes it.
          const text = (withBom ? '\uFEFF' : '') + formatCsv(records);
          const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
          const chunks: string[] = [];
          let from = 0;
          for (const p of points) {
            chunks.push(text.slice(from, p));
            from = p;
          }
          chunks.push(text.slice(from));
          const parsed = await parse(chunks);
          expect(parsed.every((r) => r.error === undefined)).toBe(true);
          expect(fieldsOf(parsed)).toEqual(records);
        },
      ),
      { numRuns: 300 },
    );
  });
});

// Why readCsv is kept instead of csv-parse (issue 12: a hand-written piece stays only for a measured
// reason). If a csv-parse release recovers at the next line, this fails: switch to it then.
describe('csv-parse 7, measured against readCsv', () => {
  const csvParseOptions = {
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    record_delimiter: ['\r\n', '\n', '\r'],
  };

  it('loses the valid rows after a malformed one, where readCsv reports it and reads on', async () => {
    const text = 'a,b\n"x"y,2\nok,4\n';
    expect(csvParse(text, csvParseOptions)).toEqual([['a', 'b']]);
    const ours = await parse(text);
    expect(ours[1]).toMatchObject({ line: 2, error: expect.stringContaining('after the closing quote') });
    expect(ours[2]).toEqual({ line: 3, fields: ['ok', '4'] });
  });

  it('ends the file at an overlong record, where readCsv resumes at the next line', async () => {
    const text = `a,b\n1,"${'x'.repeat(50)}\n2,3\n4,5\n`;
    expect(csvParse(text, { ...csvParseOptions, max_record_size: 20 })).toEqual([['a', 'b']]);
    expect((await parse(text, { maxRecordChars: 20 })).at(-1)).toEqual({ line: 4, fields: ['4', '5'] });
  });
});
