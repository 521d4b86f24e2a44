// Stores and their country: given on creation (either case), checked against the phone numbering plans,
// defaulting to the chain's (IE), and given to the stores that existed before the column did.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src-hq/cli/run.js';
import { openPglite } from '../../../src-hq/db/database.js';
import { migrate, migrationFiles } from '../../../src-hq/db/migrate.js';
import {
  InvalidInputError,
  StoreExistsError,
  createStore,
  getStore,
  listStores,
} from '../../../src-hq/store/stores.js';
import { ManualClock } from '../../../src-shared/kernel/clock.js';
import { databases, pgliteDatabase, type TestDatabase, testDatabase } from '../../support/databases.js';
import { apiHarness } from '../api/harness.js';
import { uniq } from './helpers.js';

describe.each(databases)('stores on %s', (_name, open) => {
  const db = testDatabase(open);

  it('keeps the country given, upper-cased, and reads it back', async () => {
    const id = uniq('paris');
    const created = await createStore(db, { id, name: 'Paris', timeZone: 'Europe/Paris', country: 'fr' });
    expect(created).toMatchObject({ id, name: 'Paris', timeZone: 'Europe/Paris', country: 'FR' });
    expect(await getStore(db, id)).toEqual(created);
    expect((await listStores(db)).find((s) => s.id === id)?.country).toBe('FR');
  });

  it("gives a store created without a country the chain's", async () => {
    const id = uniq('cork');
    expect((await createStore(db, { id, name: 'Cork', timeZone: 'Europe/Dublin' })).country).toBe('IE');
  });

  it('refuses a country with no phone numbering plan, and writes nothing', async () => {
    for (const country of ['UK', 'XX', 'IRL', '1', '']) {
      const id = uniq('bad');
      await expect(createStore(db, { id, name: 'Bad', timeZone: 'Europe/London', country })).rejects.toThrow(
        InvalidInputError,
      );
      expect(await getStore(db, id)).toBeNull();
    }
  });

  it('still refuses a taken id', async () => {
    const id = uniq('twice');
    await createStore(db, { id, name: 'One', timeZone: 'Europe/Dublin', country: 'IE' });
    await expect(
      createStore(db, { id, name: 'Two', timeZone: 'Europe/Paris', country: 'FR' }),
    ).rejects.toThrow(StoreExistsError);
    expect((await getStore(db, id))?.country).toBe('IE');
  });
});

describe('the country through the admin API and CLI', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await pgliteDatabase();
  });
  afterAll(async () => t?.close());

  it('POST /v1/admin/stores takes a country and refuses one with no numbering plan', async () => {
    const h = await apiHarness(t.db);
    try {
      const post = (payload: object) =>
        h.request({ method: 'POST', url: '/v1/admin/stores', token: h.adminToken, payload });
      const made = await post({ id: 'lyon', name: 'Lyon', timeZone: 'Europe/Paris', country: 'FR' });
      expect(made.statusCode).toBe(201);
      expect(made.json()).toMatchObject({ id: 'lyon', country: 'FR' });
      const bad = await post({ id: 'leeds', name: 'Leeds', timeZone: 'Europe/London', country: 'UK' });
      expect(bad.statusCode).toBe(400);
      expect(bad.body).toContain('ISO 3166-1 alpha-2');
      const listed = await h.request({ method: 'GET', url: '/v1/admin/stores', token: h.adminToken });
      expect(listed.json<{ stores: { id: string; country: string }[] }>().stores).toContainEqual(
        expect.objectContaining({ id: 'lyon', country: 'FR' }),
      );
    } finally {
      await h.close();
    }
  });

  it('store add --country keeps it and store list shows it', async () => {
    let stdout = '';
    let stderr = '';
    const cli = (argv: string[]) =>
      runCli(argv, {
        env: {},
        stdout: { write: (s: string) => (stdout += s) },
        stderr: { write: (s: string) => (stderr += s) },
        clock: new ManualClock(0),
        db: t.db,
      });
    const add = ['store', 'add', '--id', 'nyc', '--name', 'New York', '--time-zone', 'America/New_York'];
    expect(await cli([...add, '--country', 'us'])).toBe(0);
    expect(stdout).toContain('Added store nyc (New York, America/New_York, US).');
    expect(
      await cli(['store', 'add', '--id', 'bad', '--name', 'B', '--time-zone', 'UTC', '--country', 'XX']),
    ).toBe(1);
    expect(stderr).toContain('is not an ISO 3166-1 alpha-2 country');
    stdout = '';
    expect(await cli(['store', 'list'])).toBe(0);
    expect(stdout).toMatch(/nyc\s+New York\s+America\/New_York\s+US/);
  });
});

describe('migration 0005_store_country', () => {
  it('gives the stores that existed before it the demo chain country, IE', async () => {
    const before = mkdtempSync(join(tmpdir(), 'migrations-'));
    const db = await openPglite();
    try {
      for (const { path } of migrationFiles().filter((m) => m.version < '0005'))
        copyFileSync(path, join(before, basename(path)));
      await migrate(db, before);
      await db.query(`INSERT INTO stores (id, name, time_zone) VALUES ('old', 'Old', 'Europe/Dublin')`);
      expect(await migrate(db)).toContain('0005_store_country');
      expect((await getStore(db, 'old'))?.country).toBe('IE');
      // The column refuses what is not two capital letters, whoever writes it.
      await expect(
        db.query(
          `INSERT INTO stores (id, name, time_zone, country) VALUES ('x', 'X', 'Europe/Dublin', 'ie')`,
        ),
      ).rejects.toThrow();
    } finally {
      await db.close();
      rmSync(before, { recursive: true, force: true });
    }
  });
});
