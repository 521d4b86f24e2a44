// Migration 0019 on an HQ that has data, on PGlite and PostgreSQL: an HQ migrated up to 0018 with events of
// members at two stores (and HQ's own) gets member_scopes filled from them (enrolled where they enrolled, the
// last UTC day of activity per store, nothing for HQ's store), and the trigger records later events.
import { basename, join } from 'node:path';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openPglite, openPostgres, type Db } from '../../../src-hq/db/database.js';
import { migrate, migrationFiles } from '../../../src-hq/db/migrate.js';
import { databases } from '../../support/databases.js';

/** A database of its own, empty (PGlite in memory, or a fresh PostgreSQL schema). */
async function emptyDatabase(name: string): Promise<{ db: Db; close: () => Promise<void> }> {
  if (name === 'pglite') {
    const db = await openPglite();
    return { db, close: () => db.close() };
  }
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set');
  const schema = `t_0019_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  const scoped = new URL(url);
  scoped.searchParams.set('options', `-c search_path=${schema}`);
  const db = openPostgres(scoped.toString());
  return {
    db,
    close: async () => {
      await db.close();
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    },
  };
}

let n = 0;
/** An events row as ingest writes it (the columns migrations up to 0018 require). */
const insertEvent = (db: Db, storeId: string, memberId: string, type: string, at: string) => {
  n += 1;
  return db.query(
    `INSERT INTO events (id, terminal_id, terminal_seq, store_id, member_id, type, occurred_at, month,
       program_version, prev_hash, hash, body, status, change_seq)
     VALUES ($1::uuid, $2, $3, $4, $5, $6, $7::timestamptz, date_trunc('month', $7::timestamptz)::date, 1,
       repeat('0', 64), repeat('1', 64), '{}'::jsonb, 'posted', $3)`,
    [
      `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`,
      `t-${storeId}`,
      n,
      storeId,
      memberId,
      type,
      at,
    ],
  );
};

describe.each(databases)('migration 0019 on an HQ with data (%s)', (name) => {
  it('fills member_scopes from the events already stored, and the trigger follows new ones', async () => {
    const before = mkdtempSync(join(tmpdir(), 'loyalty-0018-'));
    const { db, close } = await emptyDatabase(name);
    try {
      for (const m of migrationFiles().filter((f) => f.version < '0019'))
        copyFileSync(m.path, join(before, basename(m.path)));
      await migrate(db, before);
      await db.query(
        "INSERT INTO stores (id, name, time_zone) VALUES ('s-a', 'A', 'UTC'), ('s-b', 'B', 'UTC')",
      );
      await insertEvent(db, 's-a', 'm-1', 'member-enrolled', '2025-05-01T10:00:00Z');
      await insertEvent(db, 's-a', 'm-1', 'points-earned', '2025-06-01T23:30:00Z');
      await insertEvent(db, 's-b', 'm-1', 'points-earned', '2025-07-15T08:00:00Z');
      await insertEvent(db, 's-b', 'm-2', 'member-enrolled', '2025-04-01T08:00:00Z');
      await insertEvent(db, 'hq', 'm-2', 'points-expired', '2025-09-01T00:00:00Z');

      expect(await migrate(db)).toContain('0019_member_scopes');
      const rows = async () =>
        (
          await db.query<{ store_id: string; member_id: string; enrolled: boolean; last_active: string }>(
            `SELECT store_id, member_id, enrolled, to_char(last_active, 'YYYY-MM-DD') AS last_active
             FROM member_scopes ORDER BY store_id, member_id`,
          )
        ).rows;
      expect(await rows()).toEqual([
        { store_id: 's-a', member_id: 'm-1', enrolled: true, last_active: '2025-06-01' },
        { store_id: 's-b', member_id: 'm-1', enrolled: false, last_active: '2025-07-15' },
        { store_id: 's-b', member_id: 'm-2', enrolled: true, last_active: '2025-04-01' },
      ]);
      await insertEvent(db, 's-a', 'm-2', 'points-earned', '2025-10-02T12:00:00Z');
      await insertEvent(db, 's-b', 'm-1', 'points-earned', '2025-07-01T12:00:00Z');
      expect(await rows()).toEqual([
        { store_id: 's-a', member_id: 'm-1', enrolled: true, last_active: '2025-06-01' },
        { store_id: 's-a', member_id: 'm-2', enrolled: false, last_active: '2025-10-02' },
        // An older event (pushed late) does not move the last day back.
        { store_id: 's-b', member_id: 'm-1', enrolled: false, last_active: '2025-07-15' },
        { store_id: 's-b', member_id: 'm-2', enrolled: true, last_active: '2025-04-01' },
      ]);
    } finally {
      await close();
      rmSync(before, { recursive: true, force: true });
    }
  });
});
