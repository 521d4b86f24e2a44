// docs/hq-api.md's console reference is the contract's: every endpoint HQ registers is listed with its
// roles, input and audit action, and nothing else (run `npm run docs:api` after changing the contract).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HQ_API_DOC, withReference } from '../../scripts/docs-api.js';
import { CONSOLE_API } from '../../src-shared/console/api.js';
import { consoleApiReference } from '../../src-shared/console/reference.js';

describe('the console API reference in docs/hq-api.md', () => {
  it('is the one the contract writes', () => {
    const doc = readFileSync(HQ_API_DOC, 'utf8');
    expect(withReference(doc, consoleApiReference())).toBe(doc);
  });

  it('lists every endpoint of the contract once', () => {
    const reference = consoleApiReference();
    for (const e of Object.values(CONSOLE_API)) {
      const row = `| \`${e.method} ${e.path}\` |`;
      expect(reference.split(row).length - 1, row).toBe(1);
    }
  });
});
