// The cost of one phone lookup key (src-shared/ledger/phone.ts PHONE_LOOKUP), measured on this machine with
// node:crypto's scrypt (what main and HQ use) and the pure-JS one: the figure docs/architecture.md quotes.
// Run: npx tsx bench/phone-lookup.ts
import { nodeScrypt } from '../src-main/hq/phone-lookup.js';
import { phoneLookupKey, pureScrypt, type Scrypt } from '../src-shared/ledger/phone.js';

const KEY = '42'.repeat(32);

async function median(scrypt: Scrypt, runs: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await phoneLookupKey(`+35387${String(1_000_000 + i)}`, KEY, scrypt);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? NaN;
}

const native = await median(nodeScrypt, 21);
const pure = await median(pureScrypt, 7);
console.log(
  `phone lookup key, one derivation: node:crypto median ${native.toFixed(1)} ms (21 runs), ` +
    `pure JS median ${pure.toFixed(1)} ms (7 runs)`,
);
