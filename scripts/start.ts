// `npm start` (via `./loyalty start`). Until the cashier app lands it says what is built and shows the
// engine at work: every example program validated, and a quote at a coffee counter on a Saturday.
import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { basketSchema, quote } from '../src-shared/engine/index.js';
import { emptyMember } from '../src-shared/ledger/index.js';
import { formatProblems, parseProgramJson, type Program } from '../src-shared/program/index.js';

const root = resolve(import.meta.dirname, '..');
const programsDir = resolve(root, 'examples/programs');

console.log('Loyalty Terminal\n');
console.log('Built so far: the loyalty domain (program, engine, ledger). Not yet: HQ, the terminal replica,');
console.log('scanners and the cashier UI — they arrive with the next issues, and this command will open the');
console.log('terminal with an embedded HQ and demo data once they do.\n');

const programs = new Map<string, Program>();
for (const file of readdirSync(programsDir).filter((f) => f.endsWith('.json'))) {
  const parsed = parseProgramJson(readFileSync(resolve(programsDir, file), 'utf8'));
  if (!parsed.ok) {
    console.error(`${file} is invalid:\n${formatProblems(parsed.error)}`);
    process.exit(1);
  }
  programs.set(file, parsed.value);
  console.log(`✓ ${file}: ${parsed.value.name}, ${parsed.value.earning.rules.length} earning rules`);
}

const coffee = programs.get('coffee-shop.json');
if (coffee) {
  const basket = basketSchema.parse({
    currency: 'EUR',
    lines: [
      { sku: 'flat-white', category: 'coffee', quantity: 2, unitPrice: 350 },
      { sku: 'croissant', category: 'pastry', quantity: 1, unitPrice: 220 },
      { sku: 'gift-card-20', category: 'gift-cards', quantity: 1, unitPrice: 2000 },
    ],
  });
  const saturday = Date.parse('2026-11-21T09:30:00Z');
  const q = quote(basket, emptyMember('demo', '2026-01-01T00:00:00Z'), coffee, saturday);
  console.log(`\n${coffee.name}, Saturday 10:30 in ${coffee.timeZone}: ${q.points} points`);
  for (const line of q.explanation)
    console.log(`  ${String(line.points).padStart(4)}  ${line.label} (${line.detail})`);
}
