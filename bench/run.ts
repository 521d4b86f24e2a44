// `npm run bench`: runs each benchmark script in its own process, one after the other (the machine has
// two cores; running them side by side would measure the contention). `npm run bench -- engine` runs one.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';

const dir = import.meta.dirname;
const only = process.argv.slice(2);
const benches = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.replace(/\.bench\.ts$/, ''))
  .filter((name) => only.length === 0 || only.includes(name));

let failed = 0;
for (const name of benches) {
  console.log(`\n== bench ${name}`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', resolve(dir, `${name}.bench.ts`)], {
    stdio: 'inherit',
  });
  if (run.status !== 0) failed += 1;
}
if (failed > 0) {
  console.error(`${failed} benchmark(s) failed`);
  process.exit(1);
}
