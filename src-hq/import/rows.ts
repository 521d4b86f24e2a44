// The shared shape of every CSV import: a header row names the columns, each data row is checked with zod
// (empty cells count as absent), and rows are handed over in batches (500 by default), each written in one
// transaction. A bad row is reported with its line number and the reason and the import carries on; rows
// already written stay written. Nothing but the current batch is held in memory.
import type { z } from 'zod';
import { describePaymentCard, paymentCardIn } from '../../src-shared/scan/payment-guard.js';
import { readCsv, type CsvReadOptions } from './csv.js';

export interface RowProblem {
  /** The line the row starts on in the file (the header is line 1). */
  line: number;
  reason: string;
}

export interface ImportProgress {
  /** Batches written so far (this one included). */
  batch: number;
  /** Data rows read from the file so far. */
  rowsRead: number;
  imported: number;
  rejected: number;
}

export interface ImportReport {
  rowsRead: number;
  imported: number;
  rejected: number;
  batches: number;
  /** Up to `maxProblems` problems, sorted by line; `onProblem` hears every one as it is found. */
  problems: RowProblem[];
  problemsOmitted: number;
}

export interface ImportOptions extends CsvReadOptions {
  /** Rows per transaction (default 500). */
  batchSize?: number;
  /** Called after each batch is written. */
  onProgress?: (progress: ImportProgress) => void;
  /** Called for every rejected row, as soon as it is known. */
  onProblem?: (problem: RowProblem) => void;
  /** How many problems the report keeps (default 1,000). */
  maxProblems?: number;
}

/** A problem with the file as a whole (its header): nothing was imported. */
export class CsvFileError extends Error {
  override readonly name = 'CsvFileError';
}

/** The import cannot start (e.g. HQ is not ready for it): nothing was imported. */
export class ImportError extends Error {
  override readonly name = 'ImportError';
}

export interface Columns {
  required: readonly string[];
  optional: readonly string[];
}

export interface ParsedRow<T> {
  line: number;
  value: T;
}

/** Writes one batch of valid rows; returns the rows it refused (e.g. a card already taken), by line. */
export type BatchWriter<T> = (rows: ParsedRow<T>[]) => Promise<RowProblem[]>;

/** `First Name` → `first_name`. */
const columnKey = (header: string): string =>
  header
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');

/** `email: Invalid email address`, from a zod error, one issue per column. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.map(String).join('.');
      const message =
        issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message;
      return path ? `${path}: ${message}` : message;
    })
    .join('; ');
}

/**
 * Reads a CSV import: checks the header against `columns` (unknown, duplicate or missing required columns
 * throw CsvFileError), parses each row with `schema` and hands valid rows to `write` in batches.
 */
export async function runCsvImport<S extends z.ZodType>(
  source: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>,
  columns: Columns,
  schema: S,
  write: BatchWriter<z.output<S>>,
  options: ImportOptions = {},
): Promise<ImportReport> {
  const batchSize = options.batchSize ?? 500;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError('batchSize must be at least 1');
  const maxProblems = options.maxProblems ?? 1_000;
  const report: ImportReport = {
    rowsRead: 0,
    imported: 0,
    rejected: 0,
    batches: 0,
    problems: [],
    problemsOmitted: 0,
  };
  const problem = (p: RowProblem) => {
    report.rejected += 1;
    if (report.problems.length < maxProblems) report.problems.push(p);
    else report.problemsOmitted += 1;
    options.onProblem?.(p);
  };

  let header: string[] | null = null;
  let batch: ParsedRow<z.output<S>>[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const rows = batch;
    batch = [];
    const refused = await write(rows);
    const refusedLines = new Set(refused.map((r) => r.line));
    for (const r of [...refused].sort((a, b) => a.line - b.line)) problem(r);
    report.imported += rows.filter((r) => !refusedLines.has(r.line)).length;
    report.batches += 1;
    options.onProgress?.({
      batch: report.batches,
      rowsRead: report.rowsRead,
      imported: report.imported,
      rejected: report.rejected,
    });
  };

  for await (const record of readCsv(source, options)) {
    if (header === null) {
      if (record.error)
        throw new CsvFileError(`line ${record.line}: the header row is malformed: ${record.error}`);
      header = checkHeader(record.fields, columns);
      continue;
    }
    report.rowsRead += 1;
    if (record.error) {
      problem({ line: record.line, reason: record.error });
      continue;
    }
    if (record.fields.length !== header.length) {
      problem({
        line: record.line,
        reason: `expected ${header.length} fields (${header.join(', ')}), found ${record.fields.length}`,
      });
      continue;
    }
    if (record.fields.some((f) => f.includes('\uFFFD'))) {
      problem({ line: record.line, reason: 'the text is not valid UTF-8 (save the file as UTF-8)' });
      continue;
    }
    const raw: Record<string, string> = {};
    header.forEach((name, i) => {
      const cell = record.fields[i]?.trim() ?? '';
      if (cell !== '') raw[name] = cell;
    });
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      problem({ line: record.line, reason: describeIssues(parsed.error) });
      continue;
    }
    batch.push({ line: record.line, value: parsed.data });
    if (batch.length >= batchSize) await flush();
  }
  if (header === null) throw new CsvFileError('the file is empty: the first line must name the columns');
  await flush();
  // Write-time refusals arrive with their batch, after later parse errors: sort by line.
  report.problems.sort((a, b) => a.line - b.line);
  return report;
}

function checkHeader(fields: string[], columns: Columns): string[] {
  const names = fields.map(columnKey);
  const known = new Set([...columns.required, ...columns.optional]);
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const n of names) {
    if (n === '') problems.push('a column has no name');
    else if (!known.has(n)) {
      // A header is quoted back to the operator; a card number pasted there (a file with no header) is not.
      const payment = paymentCardIn(n);
      problems.push(
        payment !== undefined
          ? `a column name ${describePaymentCard(payment)} (is the header row missing?)`
          : `unknown column "${n}"`,
      );
    } else if (seen.has(n)) problems.push(`column "${n}" appears twice`);
    seen.add(n);
  }
  const missing = columns.required.filter((c) => !seen.has(c));
  if (missing.length > 0)
    problems.push(`missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  if (problems.length > 0) {
    throw new CsvFileError(
      `line 1 (header): ${problems.join('; ')}. Columns: ${columns.required.join(', ')} (required)` +
        (columns.optional.length > 0 ? `, ${columns.optional.join(', ')} (optional)` : ''),
    );
  }
  return names;
}
