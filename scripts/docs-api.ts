// `npm run docs:api`: rewrites the console API's reference in docs/hq-api.md from the contract
// (src-shared/console/reference.ts); test/tooling/console-api-docs.test.ts fails when it is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { consoleApiReference, REFERENCE_END, REFERENCE_START } from '../src-shared/console/reference.js';

export const HQ_API_DOC = resolve(import.meta.dirname, '..', 'docs', 'hq-api.md');

/** The document with its generated block replaced by `reference`. */
export function withReference(doc: string, reference: string): string {
  const start = doc.indexOf(REFERENCE_START);
  const end = doc.indexOf(REFERENCE_END);
  if (start < 0 || end < start)
    throw new Error(`docs/hq-api.md has no ${REFERENCE_START} … ${REFERENCE_END} block`);
  return doc.slice(0, start) + reference + doc.slice(end + REFERENCE_END.length);
}

if (process.argv[1] === import.meta.filename) {
  writeFileSync(HQ_API_DOC, withReference(readFileSync(HQ_API_DOC, 'utf8'), consoleApiReference()));
  console.log('docs/hq-api.md: console API reference rewritten');
}
