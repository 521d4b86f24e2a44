import { afterEach, describe, expect, it } from 'vitest';
import { migrate, migrationFiles } from '../../../src-hq/db/migrate.js';
import { databases, type TestDatabase } from '../../support/databases.js';

describe.each(databases)('migrations on %s', (_name, open) => {
  let t: TestDatabase | undefined;
  afterEach(async () => t?.close());

  it('creates the schema once and is idempotent', async () => {
    t = await open();
    const again = await migrate(t.db);
    expect(again).toEqual([]);
    const versions = await t.db.query<{ version: string }>(
      'SELECT version FROM schema_migrations ORDER BY version',
    );
    expect(versions.rows.map((r) => r.version)).toEqual(migrationFiles().map((m) => m.version));
    // A new HQ's first change number is 1 (migration 0017).
    const { rows } = await t.db.query<{ next: number }>("SELECT nextval('change_seq') AS next");
    expect(rows).toEqual([{ next: 1 }]);
  });

  it('returns bigints as numbers and timestamps as ISO strings on both databases', async () => {
    t = await open();
    const { rows } = await t.db.query<{ n: number; at: string }>(
      "SELECT 9007199254740991::bigint AS n, '2026-11-23T10:00:00Z'::timestamptz AS at",
    );
    expect(rows[0]).toEqual({ n: 9007199254740991, at: '2026-11-23T10:00:00.000Z' });
  });

  it('rolls a failed transaction back whole', async () => {
    t = await open();
    const db = t.db;
    await expect(
      db.transaction(async (tx) => {
        await tx.query("INSERT INTO stores (id, name, time_zone) VALUES ('s1', 'One', 'Europe/Paris')");
        await tx.query("INSERT INTO stores (id, name, time_zone) VALUES ('s1', 'Again', 'Europe/Paris')");
      }),
    ).rejects.toThrow();
    expect((await db.query('SELECT * FROM stores')).rowCount).toBe(0);
  });
});
