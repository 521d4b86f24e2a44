import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, migrationFiles } from '../../../src-hq/db/migrate.js';
import { openPglite, openPostgres, type Db } from '../../../src-hq/db/database.js';
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

  it('starts the change sequence above every number an existing HQ handed out (0017 on data)', async () => {
    // An HQ as it was before 0017: migrated up to 0016, with numbers handed out from the counters.
    const before = mkdtempSync(join(tmpdir(), 'loyalty-0016-'));
    let db: Db | undefined;
    try {
      for (const m of migrationFiles().filter((f) => f.version < '0017'))
        copyFileSync(m.path, join(before, basename(m.path)));
      let close: () => Promise<void>;
      if (_name === 'pglite') {
        db = await openPglite();
        close = () => db!.close();
      } else {
        // A schema of its own, left empty (postgresDatabase would migrate it whole).
        const url = process.env.TEST_DATABASE_URL;
        if (!url) throw new Error('TEST_DATABASE_URL is not set');
        const schema = `t_0017_${process.pid}_${Date.now().toString(36)}`;
        const admin = new pg.Client({ connectionString: url });
        await admin.connect();
        await admin.query(`CREATE SCHEMA ${schema}`);
        const scoped = new URL(url);
        scoped.searchParams.set('options', `-c search_path=${schema}`);
        db = openPostgres(scoped.toString());
        const own = db;
        close = async () => {
          await own.close();
          await admin.query(`DROP SCHEMA ${schema} CASCADE`);
          await admin.end();
        };
      }
      t = { name: _name, db, close };
      await migrate(db, before);
      await db.query(
        "UPDATE change_counters SET seq = CASE collection WHEN 'events' THEN 75 WHEN 'members' THEN 40 ELSE 12 END",
      );
      // A row numbered above its own counter (never expected, but the sequence must still start above it).
      await db.query(
        `INSERT INTO products (sku, name, category, price, currency, change_seq) VALUES ('p-1', 'Pen', 'office', 100, 'EUR', 120)`,
      );
      expect(await migrate(db)).toContain('0017_change_sequence');
      const { rows } = await db.query<{ next: number }>("SELECT nextval('change_seq') AS next");
      expect(rows).toEqual([{ next: 121 }]);
      const gone = await db.query(
        "SELECT 1 FROM pg_tables WHERE tablename = 'change_counters' AND schemaname = current_schema()",
      );
      expect(gone.rowCount).toBe(0);
    } finally {
      rmSync(before, { recursive: true, force: true });
    }
  });
});
