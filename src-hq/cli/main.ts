// The admin CLI's entry point (`npm run hq -- <command>`, through tsx): wires runCli to the process.
import { createInterface } from 'node:readline';
import { text } from 'node:stream/consumers';
import { runCli } from './run.js';

/** Asks a question on the terminal; a hidden answer is not echoed (a PIN). */
function prompt(question: string, options: { hidden: boolean }): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  return new Promise((resolveAnswer) => {
    rl.question(question, (answer) => {
      rl.close();
      if (options.hidden) process.stdout.write('\n');
      resolveAnswer(answer.trim());
    });
    if (options.hidden) {
      // Echo nothing while the answer is typed.
      (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => undefined;
    }
  });
}

const controller = new AbortController();
// Every signal, not just the first: a signal sent to the process group reaches this process twice (from the
// shell and relayed by tsx), and a second one with no listener would kill HQ in the middle of closing its
// database. Stopping is idempotent.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => controller.abort());

const code = await runCli(process.argv.slice(2), {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  signal: controller.signal,
  readStdin: () => text(process.stdin),
  ...(process.stdin.isTTY ? { prompt } : {}),
});
// Once a command is done nothing should keep the process alive (stdout and stderr are synchronous on
// pipes and files, so nothing printed is lost).
process.exit(code);
