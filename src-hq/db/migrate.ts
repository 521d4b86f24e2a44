// Versioned SQL migrations (src-hq/db/migrations/NNNN_name.sql), applied in order, each in its own
// transaction and recorded in schema_migrations; running again applies only what is new. Then the steps
// SQL cannot do: the chain's phone key and the one-time re-derivation of phone lookups (store/phone-key.ts),
// and HQ's key for signing terminal credentials (store/signing-key.ts).
import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { preparePhoneLookup } from '../store/phone-key.js';
import { ensureSigningKey } from '../store/signing-key.js';
import type { Db } from './database.js';

const MIGRATIONS_DIR = resolve(import.meta.dirname, 'migrations');

export function migrationFiles(dir = MIGRATIONS_DIR): { version: string; path: string }[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_-]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: f.replace(/\.sql$/, ''), path: resolve(dir, f) }));
}

/** Applies pending migrations; returns the versions applied now. */
export async function migrate(db: Db, dir = MIGRATIONS_DIR): Promise<string[]> {
  await db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
  );
  // Two HQ processes starting together must not both apply a migration.
  const applied: string[] = [];
  for (const { version, path } of migrationFiles(dir)) {
    const sql = readFileSync(path, 'utf8');
    const done = await db.transaction(async (tx) => {
      await tx.query('LOCK TABLE schema_migrations IN EXCLUSIVE MODE');
      const seen = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [version]);
      if (seen.rowCount > 0) return false;
      for (const statement of splitStatements(sql)) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (version) VALUES ($1)', [version]);
      return true;
    });
    if (done) applied.push(version);
  }
  // Idempotent, and cheap once done: a settings lookup. Only on HQ's own migrations (tests of the runner
  // pass folders of their own, without the settings table).
  if (dir === MIGRATIONS_DIR) {
    await preparePhoneLookup(db);
    await ensureSigningKey(db);
  }
  return applied;
}

/**
 * Splits a migration into statements at semicolons, except inside dollar-quoted bodies ($$ … $$ or
 * $tag$ … $tag$: functions, DO blocks), whose statements end in semicolons of their own.
 */
export function splitStatements(sql: string): string[] {
  const text = sql
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('--'))
    .join('\n');
  const statements: string[] = [];
  let start = 0;
  let quote: string | null = null;
  for (const token of text.matchAll(/\$[A-Za-z_]*\$|;/g)) {
    if (quote !== null) {
      if (token[0] === quote) quote = null;
    } else if (token[0] === ';') {
      statements.push(text.slice(start, token.index));
      start = token.index + 1;
    } else {
      quote = token[0];
    }
  }
  statements.push(text.slice(start));
  return statements.map((s) => s.trim()).filter((s) => s.length > 0);
}
