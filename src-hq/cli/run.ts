// `npm run hq -- <command>`: finds the command named by the leading words, parses its options with
// node:util parseArgs (strict: an unknown option is an error), and turns failures into exit codes with
// one clear message: 2 for usage errors, 1 for problems the administrator can fix, and 1 with
// "internal error" for anything else (the stack only with HQ_DEBUG=1).
import { parseArgs } from 'node:util';
import { ZodError } from 'zod';
import { systemClock } from '../../src-shared/kernel/clock.js';
import { CsvFileError, ImportError } from '../import/rows.js';
import { SeedRefusedError } from '../seed/demo.js';
import { CashierExistsError } from '../store/catalog.js';
import { StoreExistsError, UnknownStoreError } from '../store/stores.js';
import { COMMANDS, type Command } from './commands.js';
import { EXIT, line, UsageError, UserError, type CliIo } from './io.js';

const PROGRAM = 'npm run hq --';

const usageOf = (c: Command): string =>
  [PROGRAM, ...c.path, ...c.args].join(' ') + (Object.keys(c.options).length > 0 ? ' [options]' : '');

function globalHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => [...c.path, ...c.args].join(' ').length));
  return [
    `Loyalty Terminal HQ admin. Usage: ${PROGRAM} <command> [options]`,
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${[...c.path, ...c.args].join(' ').padEnd(width)}  ${c.summary}`),
    '',
    `${PROGRAM} <command> --help shows a command's options.`,
    'Database: DATABASE_URL (PostgreSQL), otherwise the PGlite folder HQ_DATA_DIR (default ./data/hq);',
    'while HQ runs on that folder, commands work through the database HQ shares: no need to stop it.',
  ].join('\n');
}

function commandHelp(c: Command): string {
  return [
    `Usage: ${usageOf(c)}`,
    '',
    `${c.summary[0]!.toUpperCase()}${c.summary.slice(1)}.`,
    ...(c.help ? ['', c.help] : []),
  ].join('\n');
}

/** The command whose words start `argv` (longest match), and the rest of the arguments. */
function findCommand(argv: readonly string[]): { command: Command; rest: string[] } | null {
  let best: Command | null = null;
  for (const c of COMMANDS) {
    if (c.path.every((word, i) => argv[i] === word) && (!best || c.path.length > best.path.length)) best = c;
  }
  return best ? { command: best, rest: argv.slice(best.path.length) } : null;
}

/** Runs one CLI invocation; resolves to the exit code. Never throws. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const args = [...argv];
  if (
    args.length === 0 ||
    args[0] === '--help' ||
    args[0] === '-h' ||
    (args[0] === 'help' && args.length === 1)
  ) {
    line(args.length === 0 ? io.stderr : io.stdout, globalHelp());
    return args.length === 0 ? EXIT.usage : EXIT.ok;
  }
  if (args[0] === 'help') {
    args.shift();
    args.push('--help');
  }
  const found = findCommand(args);
  if (!found) {
    const known = COMMANDS.filter((c) => c.path[0] === args[0]);
    line(
      io.stderr,
      known.length > 0
        ? `${args[0]} needs one of: ${known.map((c) => c.path.slice(1).join(' ')).join(', ')}\n\n${globalHelp()}`
        : `unknown command ${JSON.stringify(args.filter((a) => !a.startsWith('-')).join(' '))}\n\n${globalHelp()}`,
    );
    return EXIT.usage;
  }
  const { command, rest } = found;
  const clock = io.clock ?? systemClock;
  try {
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs({
        args: rest,
        options: { ...command.options, help: { type: 'boolean', short: 'h' } },
        allowPositionals: true,
        strict: true,
      });
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    if (parsed.values.help) {
      line(io.stdout, commandHelp(command));
      return EXIT.ok;
    }
    const input = command.parse(parsed.values, parsed.positionals);
    return await command.run({ io, clock }, input as never);
  } catch (error) {
    return report(io, command, error);
  }
}

function report(io: CliIo, command: Command, error: unknown): number {
  if (error instanceof UsageError) {
    line(
      io.stderr,
      `${error.message}\n\nUsage: ${usageOf(command)}\n(${PROGRAM} ${command.path.join(' ')} --help for more)`,
    );
    return EXIT.usage;
  }
  if (
    error instanceof UserError ||
    error instanceof CsvFileError ||
    error instanceof ImportError ||
    error instanceof SeedRefusedError ||
    error instanceof UnknownStoreError ||
    error instanceof StoreExistsError ||
    error instanceof CashierExistsError ||
    error instanceof RangeError ||
    (error instanceof Error && error.name === 'EnrollmentCodeError')
  ) {
    line(io.stderr, `error: ${error.message}`);
    return EXIT.failed;
  }
  if (error instanceof ZodError) {
    line(
      io.stderr,
      `error: ${error.issues.map((i) => `${i.path.join('.') || 'value'}: ${i.message}`).join('; ')}`,
    );
    return EXIT.failed;
  }
  const e = error instanceof Error ? error : new Error(String(error));
  line(io.stderr, `internal error: ${e.message}`);
  if (io.env.HQ_DEBUG === '1' && e.stack) line(io.stderr, e.stack);
  else line(io.stderr, '(set HQ_DEBUG=1 to see where)');
  return EXIT.failed;
}
