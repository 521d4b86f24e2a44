// Turns an untrusted program document into a Program, or lists every problem with its path,
// so an administrator fixes a file in one pass.
import type { z } from 'zod';
import { err, ok, type Result } from '../kernel/result.js';
import { programSchema, type Program } from './schema.js';

export interface Problem {
  /** Dotted path into the document, e.g. `earning.rules.2.per`; empty for the whole document. */
  path: string;
  message: string;
}

export function problemsOf(error: z.ZodError): Problem[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}

export function parseProgram(input: unknown): Result<Program, Problem[]> {
  const parsed = programSchema.safeParse(input);
  return parsed.success ? ok(parsed.data) : err(problemsOf(parsed.error));
}

export function parseProgramJson(text: string): Result<Program, Problem[]> {
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (e) {
    return err([{ path: '', message: `not valid JSON: ${(e as Error).message}` }]);
  }
  return parseProgram(input);
}

export const formatProblems = (problems: readonly Problem[]): string =>
  problems.map((p) => `${p.path || '(document)'}: ${p.message}`).join('\n');
