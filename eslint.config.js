// Lint rules (typescript-eslint's type-checked set), and the dependency rule of docs/architecture.md as
// import restrictions:
// src-renderer, src-console → src-shared ← src-main, src-hq; src-shared imports no platform at all.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// `console` is left to its node: form: as a bare pattern it would match the src-shared/console folder.
const nodeBuiltins = [
  ...builtinModules.filter((m) => m !== 'console'),
  ...builtinModules.map((m) => `node:${m}`),
  'node:*',
];
const folder = (name) => ({ group: [`**/${name}`, `**/${name}/**`], message: `may not import from ${name}` });
const pkgs = (names, why) => names.map((name) => ({ group: [name, `${name}/**`], message: why }));

export const boundaries = {
  'src-shared': [
    ...['src-main', 'src-renderer', 'src-hq', 'src-console'].map(folder),
    ...pkgs(
      [
        'electron',
        'rxdb',
        'dexie',
        'serialport',
        '@serialport',
        'react',
        'react-dom',
        'pg',
        'fastify',
        '@electric-sql',
      ],
      'src-shared is pure: no platform, database or UI packages',
    ),
    { group: nodeBuiltins, message: 'src-shared is pure: no Node built-ins' },
  ],
  'src-renderer': [
    ...['src-main', 'src-hq'].map(folder),
    ...pkgs(
      ['electron', 'serialport', '@serialport', 'pg', 'fastify', '@electric-sql', 'pino'],
      'not in the renderer',
    ),
    { group: nodeBuiltins, message: 'the renderer runs in a sandbox: no Node built-ins' },
  ],
  'src-console': [
    ...['src-main', 'src-renderer', 'src-hq'].map(folder),
    ...pkgs(
      [
        'electron',
        'rxdb',
        'dexie',
        'serialport',
        '@serialport',
        'pg',
        'fastify',
        '@fastify',
        '@electric-sql',
        'pino',
      ],
      'the console talks to HQ only through its HTTP API',
    ),
    { group: nodeBuiltins, message: 'the console runs in a browser: no Node built-ins' },
  ],
  'src-main': [
    ...['src-renderer', 'src-hq'].map(folder),
    ...pkgs(['pg', 'fastify', '@electric-sql', 'react', 'react-dom'], 'HQ and UI packages stay out of main'),
  ],
  'src-hq': [
    ...['src-main', 'src-renderer'].map(folder),
    ...pkgs(['electron', 'rxdb', 'dexie', 'serialport', '@serialport', 'react', 'react-dom'], 'not in HQ'),
  ],
};

export default tseslint.config(
  { ignores: ['node_modules/', 'out/', '.tsbuild/', 'data/', 'bench/results/', 'test/fixtures/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'use named exports' },
      ],
    },
  },
  // Config files must default-export for their tools.
  { files: ['*.config.ts', '*.config.js'], rules: { 'no-restricted-syntax': 'off' } },
  { files: ['**/*.js', '**/*.mjs', '**/*.cjs'], ...tseslint.configs.disableTypeChecked },
  // Tests: Vitest types its asymmetric matchers (expect.any, expect.stringContaining…) as `any`, and fakes
  // implement async interfaces with methods that have nothing to await. Source code keeps both rules.
  {
    files: ['test/**/*.{ts,tsx}', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/require-await': 'off',
    },
  },
  ...Object.entries(boundaries).map(([dir, patterns]) => ({
    files: [`${dir}/**/*.{ts,tsx}`],
    rules: { 'no-restricted-imports': ['error', { patterns }] },
  })),
  { files: ['src-shared/**/*.ts'], languageOptions: { globals: {} } },
  {
    files: ['src-renderer/**/*.{ts,tsx}', 'src-console/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
