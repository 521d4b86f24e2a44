// Every trust boundary (program files, config files, CSV rows, HTTP bodies) reports bad input the same
// way: each problem with the dotted path to the offending value, so a person fixes it in one pass.
import type { z } from 'zod';
import { err, ok, type Result } from './result.js';

export interface Problem {
  /** Dotted path into the input, e.g. `earning.rules.2.per`; empty for the whole input. */
  path: string;
  message: string;
}

export function problemsOf(error: z.ZodError, prefix = ''): Problem[] {
  return error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter(Boolean).join('.'),
    message: issue.message,
  }));
}

/** safeParse as a Result with problems by path. */
export function parseWith<T extends z.ZodType>(schema: T, input: unknown): Result<z.output<T>, Problem[]> {
  const parsed = schema.safeParse(input);
  return parsed.success ? ok(parsed.data) : err(problemsOf(parsed.error));
}

export const formatProblems = (problems: readonly Problem[], whole = '(document)'): string =>
  problems.map((p) => `${p.path || whole}: ${p.message}`).join('\n');

/**
 * What a refusal's message names (a reward's label, points needed, a date as epoch ms), beside its reason
 * code: enough for a till to say the same thing in the store's language while the message stays English.
 */
export type RefusalFigures = Readonly<Record<string, string | number>>;
