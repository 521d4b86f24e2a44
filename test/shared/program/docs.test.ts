// docs/program-format.md is what administrators trust; these checks keep the parts of it that are copied
// from the code (the stacking rule, the example list, the sample error output) from drifting.
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblems, parseProgramJson } from '../../../src-shared/program/parse.js';

const root = resolve(import.meta.dirname, '../../..');
const read = (path: string): string => readFileSync(resolve(root, path), 'utf8');
const docs = read('docs/program-format.md');

describe('docs/program-format.md', () => {
  it('quotes the stacking rule of schema.ts word for word', () => {
    const header = read('src-shared/program/schema.ts')
      .split('\n')
      .filter((line) => line.startsWith('// '))
      .map((line) => line.slice(3));
    const start = header.findIndex((line) => line.startsWith('Stacking'));
    const end = header.findIndex((line) => line.endsWith('never multiplied.'));
    const rule = header.slice(start, end + 1).join('\n');
    expect(rule).toMatch(/^Stacking[\s\S]*never multiplied\.$/);
    expect(docs).toContain(rule);
  });

  it('has a section for every example program', () => {
    for (const file of readdirSync(resolve(root, 'examples/programs')).filter((f) => f.endsWith('.json')))
      expect(docs, file).toContain(`\`${file}\``);
  });

  it('shows the sample validation output the fixture really produces', () => {
    const result = parseProgramJson(read('test/shared/program/fixtures/broken-program.json'));
    expect(result.ok).toBe(false);
    if (!result.ok) for (const line of formatProblems(result.error).split('\n')) expect(docs).toContain(line);
  });
});
