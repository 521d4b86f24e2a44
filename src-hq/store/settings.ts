// HQ's settings table (name → value): where HQ keeps what every HQ process on one database must share, such
// as the chain's phone key (phone-key.ts) and the terminal signing key (signing-key.ts), and the progress of
// one-off jobs. A secret is made once, by whichever process gets there first: a race of HQs starting
// together keeps the first value written.
import { randomBytes } from 'node:crypto';
import type { Queryable } from '../db/database.js';

/** A setting's value; null when HQ has none. */
export async function setting(db: Queryable, name: string): Promise<string | null> {
  const { rows } = await db.query<{ value: string }>('SELECT value FROM settings WHERE name = $1', [name]);
  return rows[0]?.value ?? null;
}

/** Sets a setting, replacing its value; `updatedAt` (an ISO instant, from the caller's Clock) or the database's now. */
export async function saveSetting(
  db: Queryable,
  name: string,
  value: string,
  updatedAt?: string,
): Promise<void> {
  await db.query(
    `INSERT INTO settings (name, value, updated_at) VALUES ($1, $2, COALESCE($3::timestamptz, now()))
     ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    [name, value, updatedAt ?? null],
  );
}

/** Makes a 32-byte random secret (hex) under `name` unless HQ has one; the existing one is kept. */
export async function ensureSecretSetting(db: Queryable, name: string): Promise<void> {
  await db.query('INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [
    name,
    randomBytes(32).toString('hex'),
  ]);
}
