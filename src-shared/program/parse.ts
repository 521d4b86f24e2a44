// Turns an untrusted program document into a Program, or lists every problem with its path,
// so an administrator fixes a file in one pass.
import { err, type Result } from '../kernel/result.js';
import { parseWith, type Problem } from '../kernel/problems.js';
import { programSchema, type Program } from './schema.js';

export { formatProblems, problemsOf, type Problem } from '../kernel/problems.js';

export const parseProgram = (input: unknown): Result<Program, Problem[]> => parseWith(programSchema, input);

export function parseProgramJson(text: string): Result<Program, Problem[]> {
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (e) {
    return err([{ path: '', message: `not valid JSON: ${(e as Error).message}` }]);
  }
  return parseProgram(input);
}
