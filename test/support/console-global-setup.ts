// Vitest global setup of the e2e project: builds the back-office console (out/console) once before the
// run when it is missing or older than its sources, so test files do not each build it (the harness,
// test/support/console.ts, still rebuilds if the sources change during the run).
import { ensureConsoleBuilt } from '../../scripts/console-build.js';

export async function setup(): Promise<void> {
  await ensureConsoleBuilt();
}
