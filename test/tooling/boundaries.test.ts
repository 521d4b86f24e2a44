// The dependency rule of docs/architecture.md section 2 is enforced by ESLint; these cases prove the rule bites.
import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

// The fixtures are not files of any tsconfig, so the type-aware rules (which need one) are off here; the
// import restrictions are syntactic and stay as the project configures them.
const eslint = new ESLint({
  cwd: resolve(import.meta.dirname, '../..'),
  overrideConfig: { files: ['**/*.{ts,tsx}'], ...tseslint.configs.disableTypeChecked },
});

async function importErrors(filePath: string, specifier: string): Promise<string[]> {
  const [result] = await eslint.lintText(`import { x } from '${specifier}';\nexport const y = x;\n`, {
    filePath,
  });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('import boundaries', () => {
  const sharedFile = 'src-shared/kernel/fixture.ts';
  it.each([
    '../../src-main/index.js',
    '../../src-renderer/app.js',
    '../../src-hq/config.js',
    'electron',
    'rxdb',
    'rxdb/plugins/storage-dexie',
    'serialport',
    '@serialport/binding-mock',
    'dexie',
    'pg',
    'fastify',
    'react',
    'node:fs',
    'fs',
    'crypto',
    'node:crypto',
  ])('src-shared may not import %s', async (specifier) => {
    expect(await importErrors(sharedFile, specifier)).toHaveLength(1);
  });

  it.each(['zod', '../money.js', '@noble/hashes/sha2.js'])('src-shared may import %s', async (specifier) => {
    expect(await importErrors(sharedFile, specifier)).toEqual([]);
  });

  it.each([
    ['src-renderer/screens/fixture.tsx', '../../src-main/index.js'],
    ['src-renderer/screens/fixture.tsx', 'node:fs'],
    ['src-renderer/screens/fixture.tsx', 'pg'],
    ['src-main/hq/fixture.ts', '../../src-hq/config.js'],
    ['src-main/hq/fixture.ts', 'fastify'],
    ['src-hq/fixture.ts', 'electron'],
    ['src-hq/fixture.ts', '../src-renderer/app.js'],
  ])('%s may not import %s', async (file, specifier) => {
    expect(await importErrors(file, specifier)).toHaveLength(1);
  });

  it.each([
    ['src-renderer/screens/fixture.tsx', '../../src-shared/engine/index.js'],
    ['src-main/hq/fixture.ts', '../../src-shared/sync/index.js'],
    ['src-hq/fixture.ts', '../src-shared/ledger/index.js'],
    ['src-main/hq/fixture.ts', 'node:fs'],
  ])('%s may import %s', async (file, specifier) => {
    expect(await importErrors(file, specifier)).toEqual([]);
  });
});
