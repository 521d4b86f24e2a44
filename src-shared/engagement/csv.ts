// CSV as RFC 4180 writes it, safe to open in a spreadsheet: a cell with a comma, quote, CR or LF is quoted
// (quotes doubled), and a cell a spreadsheet would run as a formula (starting with = + - @, or a tab or
// CR, OWASP's list) gets a leading apostrophe first, so "=HYPERLINK(…)" typed as a member's name stays
// text. Numbers are written as numbers (a negative figure is data, not a formula). Lines end in CRLF; the
// text starts with a UTF-8 byte order mark so spreadsheet programs read accents right.

export type CsvCell = string | number | boolean | null;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One cell as CSV. */
export function csvCell(value: CsvCell): string {
  if (value === null) return '';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError('a CSV number must be finite');
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A whole file: the header row then the rows, CRLF line ends, with a UTF-8 BOM. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  const lines = [header, ...rows].map((row) => row.map(csvCell).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
