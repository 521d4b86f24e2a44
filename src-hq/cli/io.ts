// What the admin CLI needs from its surroundings (so tests run it in-process), the two kinds of failure
// it reports (a usage error, exit 2; a user error, exit 1: both one clear message, never a stack trace),
// and small text helpers for its output.
import type { Clock } from '../../src-shared/kernel/clock.js';
import type { Db } from '../db/database.js';

export interface Output {
  write(text: string): unknown;
}

export interface CliIo {
  env: Record<string, string | undefined>;
  stdout: Output;
  stderr: Output;
  clock?: Clock;
  /** Asks for a line (hidden: not echoed); absent when there is no terminal to ask at. */
  prompt?: (question: string, options: { hidden: boolean }) => Promise<string>;
  /** Reads standard input to its end (`--password-stdin`); absent when there is none to read. */
  readStdin?: () => Promise<string>;
  /** Ends `serve`. */
  signal?: AbortSignal;
  /**
   * An open, migrated database for the commands to use instead of opening one from the environment
   * (tests, embedding); left open. `serve` and `migrate` always use the environment.
   */
  db?: Db;
}

/** Bad arguments: the usage is printed, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(
    message: string,
    readonly usage?: string,
  ) {
    super(message);
  }
}

/** Something the administrator can fix (a file, a value, the state of HQ): exit code 1. */
export class UserError extends Error {
  override readonly name = 'UserError';
}

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export const line = (out: Output, text = ''): void => {
  out.write(`${text}\n`);
};

/** 12345 → `12,345`. */
export const int = (n: number): string => n.toLocaleString('en-US');

/** A plain text table, columns padded; numbers right-aligned. */
export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map((c) => (typeof c === 'number' ? int(c) : c)))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => String(r[i] ?? '').length)));
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number'));
  return cells
    .map((r) =>
      r
        .map((c, i) => (numeric[i] ? String(c).padStart(widths[i]!) : String(c).padEnd(widths[i]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
