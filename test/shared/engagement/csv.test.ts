// CSV cells: quoting as RFC 4180 says, and formula injection defused with a leading apostrophe.
import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from '../../../src-shared/engagement/csv.js';

describe('csv', () => {
  it('quotes cells with commas, quotes and line breaks, doubling the quotes', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('Smith, Jo')).toBe('"Smith, Jo"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('')).toBe('');
    expect(csvCell(null)).toBe('');
  });

  it('prefixes cells a spreadsheet would run as a formula with an apostrophe', () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('+353 1 234')).toBe("'+353 1 234");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tx')).toBe("'\tx");
    // Prefixed, then quoted because of the comma and quotes.
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    // Not at the start: text as is.
    expect(csvCell('a=b')).toBe('a=b');
  });

  it('writes numbers as numbers, a negative one too', () => {
    expect(csvCell(-20)).toBe('-20');
    expect(csvCell(320)).toBe('320');
    expect(() => csvCell(Number.NaN)).toThrow(RangeError);
  });

  it('writes a file with a BOM and CRLF lines, accents as UTF-8', () => {
    const text = toCsv(
      ['name', 'points'],
      [
        ['Zoë', 12],
        ['Łukasz, "Ł"', 0],
      ],
    );
    expect(text).toBe('\uFEFFname,points\r\nZoë,12\r\n"Łukasz, ""Ł""",0\r\n');
    expect(Buffer.from(text, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });
});
