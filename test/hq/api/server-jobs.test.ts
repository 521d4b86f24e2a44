// The jobs HQ runs beside its API are composed once, in startServer, for `npm run hq -- serve` and
// `./loyalty start` alike: with jobs, a publication that fell due while HQ was down is published at start
// and the nightly jobs are scheduled in the program's zone; without them (serve --no-jobs), nothing runs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type StartedServer } from '../../../src-hq/api/server.js';
import { loadHqConfig } from '../../../src-hq/config.js';
import { openPglite } from '../../../src-hq/db/database.js';
import { migrate } from '../../../src-hq/db/migrate.js';
import { schedulePublication } from '../../../src-hq/store/program-drafts.js';
import { currentProgram, publishProgram } from '../../../src-hq/store/programs.js';
import { ManualClock } from '../../../src-shared/kernel/clock.js';
import { testProgram } from '../../support/events.js';

const NOW = Date.parse('2025-03-10T12:00:00.000Z');

async function folderWithDuePublication(): Promise<string> {
  const dir = mkdtempSync(resolve(tmpdir(), 'hq-jobs-'));
  const db = await openPglite(dir);
  try {
    await migrate(db);
    await publishProgram(db, testProgram({ timeZone: 'Europe/Dublin' }));
    const next = testProgram({ timeZone: 'Europe/Dublin', version: 2 });
    await schedulePublication(
      db,
      next,
      { draftId: null, by: 'ada', at: new Date(NOW - 60_000).toISOString() },
      new ManualClock(NOW - 3_600_000),
    );
  } finally {
    await db.close();
  }
  return dir;
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((r) => setImmediate(r));
  }
}

describe('HQ started with its jobs', () => {
  let dir: string | undefined;
  let hq: StartedServer | undefined;
  afterEach(async () => {
    await hq?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    hq = undefined;
  });

  it('publishes a publication that fell due while it was down, and schedules the nightly jobs in the program’s zone', async () => {
    dir = await folderWithDuePublication();
    hq = await startServer(loadHqConfig({ HQ_DATA_DIR: dir, HQ_PORT: '0' }), {
      logger: false,
      clock: new ManualClock(NOW),
      jobs: { at: '02:30' },
    });
    expect(hq.jobs).toEqual({ at: '02:30', timeZone: 'Europe/Dublin' });
    const program = await until(
      () => currentProgram(hq!.db),
      (p) => p?.version === 2,
    );
    expect(program?.version).toBe(2);
  });

  it('runs nothing without them', async () => {
    dir = await folderWithDuePublication();
    hq = await startServer(loadHqConfig({ HQ_DATA_DIR: dir, HQ_PORT: '0' }), {
      logger: false,
      clock: new ManualClock(NOW),
      jobs: false,
    });
    expect(hq.jobs).toBeNull();
    // The publication stays scheduled: the one thing that would publish it is a job.
    const { rows } = await hq.db.query<{ status: string }>('SELECT status FROM program_publications');
    expect(rows.map((r) => r.status)).toEqual(['scheduled']);
    expect((await currentProgram(hq.db))?.version).toBe(1);
  });
});
