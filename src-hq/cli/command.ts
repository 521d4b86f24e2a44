// What a CLI command is (its words, options, help, a parse that checks them and a run), and the two checks
// every command's parse uses, which turn bad input into usage errors that name the option.
import type { ParseArgsConfig } from 'node:util';
import type { z } from 'zod';
import type { Clock } from '../../src-shared/kernel/clock.js';
import { UsageError, type CliIo } from './io.js';

export interface CommandContext {
  io: CliIo;
  clock: Clock;
}

export interface Command {
  /** The words that name it, e.g. `['members', 'import']`. */
  path: readonly string[];
  /** Positional arguments after the path, e.g. `<file.csv>`. */
  args: readonly string[];
  options: NonNullable<ParseArgsConfig['options']>;
  summary: string;
  /** Option lines and notes for `--help`. */
  help: string;
  /** Checks the parsed values and positionals; throws UsageError. */
  parse(values: Record<string, unknown>, positionals: string[]): unknown;
  run(ctx: CommandContext, args: never): Promise<number>;
}

/** Turns a zod failure into a usage error that names the option. */
export function check<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new UsageError(
      parsed.error.issues
        .map((i) => {
          const name = i.path.map(String).join('.');
          const what = name.startsWith('arg') ? name : `--${name}`;
          return i.code === 'invalid_type' && i.input === undefined
            ? `${what} is required`
            : `${what}: ${i.message}`;
        })
        .join('\n'),
    );
  }
  return parsed.data;
}

export const positional = (positionals: string[], names: readonly string[]) => {
  if (positionals.length > names.length)
    throw new UsageError(`unexpected argument ${JSON.stringify(positionals[names.length])}`);
  const missing = names.slice(positionals.length);
  if (missing.length > 0) throw new UsageError(`missing ${missing.join(' ')}`);
  return positionals;
};
