// The database an admin command works on: PostgreSQL (DATABASE_URL), or the PGlite folder. A PGlite folder
// has one process at a time: free, the command holds it while it runs (so HQ cannot open it meanwhile);
// held by a running HQ, the command works through the database HQ shares (db/pglite-share.ts), never beside
// it, so the CLI never needs HQ stopped. A folder held with no endpoint is an HQ starting up (waited for a
// little) or a stale lock of a reused process id (refused, saying which file to remove).
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { loadHqConfig, type HqConfig } from '../config.js';
import { openPglite, openPostgres, type Db } from '../db/database.js';
import { migrate, migrationFiles } from '../db/migrate.js';
import { folderState, FolderHeldError, LOCK_FILE, lockFolder, type FolderState } from '../db/pglite-share.js';
import { UserError, type CliIo } from './io.js';

/** How long a command waits for an HQ that holds the folder but does not share it yet (starting). */
const STARTING_WAIT_MS = 15_000;
const POLL_MS = 100;

export function hqConfig(io: CliIo): HqConfig {
  try {
    return loadHqConfig(io.env);
  } catch (error) {
    throw new UserError((error as Error).message);
  }
}

/** Whether a lock file was written within the last STARTING_WAIT_MS (an HQ still starting). */
function recentLock(dataDir: string): boolean {
  try {
    return Date.now() - statSync(resolve(dataDir, LOCK_FILE)).mtimeMs < STARTING_WAIT_MS;
  } catch {
    return false;
  }
}

/** The folder's state once it is free or shared, waiting while an HQ that holds it is starting. */
async function settledState(dataDir: string): Promise<FolderState> {
  const waitUntil = Date.now() + STARTING_WAIT_MS;
  for (;;) {
    const state = folderState(dataDir);
    if (state.state !== 'held' || !recentLock(dataDir) || Date.now() > waitUntil) return state;
    await delay(POLL_MS);
  }
}

export interface CommandDb {
  db: Db;
  /** True when the command works through a running HQ's shared PGlite. */
  shared: boolean;
  close(): Promise<void>;
}

/** Opens the configured database for one command (see the header). */
export async function openCommandDb(config: HqConfig): Promise<CommandDb> {
  if (config.DATABASE_URL) {
    const db = openPostgres(config.DATABASE_URL, { applicationName: 'loyalty-cli' });
    return { db, shared: false, close: () => db.close() };
  }
  const dataDir = config.HQ_DATA_DIR;
  const state = await settledState(dataDir);
  if (state.state === 'shared') {
    // One connection: a command's statements are one session, run whole between HQ's own.
    const db = openPostgres(state.url, { max: 1, applicationName: 'loyalty-cli' });
    try {
      await db.query('SELECT 1');
    } catch (error) {
      await db.close().catch(() => undefined);
      throw new UserError(
        `HQ is running on ${dataDir} (process ${state.pid}) but its database cannot be reached at ` +
          `${resolve(dataDir, 'hq.endpoint.json')}: ${(error as Error).message}`,
      );
    }
    return { db, shared: true, close: () => db.close() };
  }
  if (state.state === 'held') throw heldError(dataDir, state.pid);
  let release: () => void;
  try {
    release = lockFolder(dataDir);
  } catch (error) {
    if (error instanceof FolderHeldError) throw heldError(dataDir, error.pid);
    throw error;
  }
  try {
    const db = await openPglite(dataDir);
    return {
      db,
      shared: false,
      async close() {
        await db.close();
        release();
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}

function heldError(dataDir: string, pid: number): UserError {
  return new UserError(
    `process ${pid} holds the PGlite folder ${dataDir} and does not share its database (an HQ still ` +
      `starting, another admin command, or an HQ older than this CLI). Try again in a moment; if process ` +
      `${pid} is not HQ, the lock is stale: remove ${resolve(dataDir, LOCK_FILE)}.`,
  );
}

async function assertMigrated(db: Db): Promise<void> {
  const applied = await db
    .query<{ version: string }>('SELECT version FROM schema_migrations')
    .then((r) => new Set(r.rows.map((x) => x.version)))
    .catch(() => new Set<string>());
  const pending = migrationFiles().filter((m) => !applied.has(m.version));
  if (pending.length > 0)
    throw new UserError(
      `the database is not migrated (${pending.map((m) => m.version).join(', ')} pending): run npm run hq -- migrate`,
    );
}

/**
 * Opens HQ's database for one command and closes it after. Commands that write migrate it first (as
 * `serve` does); read-only ones (reports, lists) only check it is migrated, so they can run against a
 * read replica.
 */
export async function withDb<T>(
  io: CliIo,
  fn: (db: Db) => Promise<T>,
  options: { readOnly?: boolean } = {},
): Promise<T> {
  if (io.db) return fn(io.db);
  const config = hqConfig(io);
  let opened: CommandDb;
  try {
    opened = await openCommandDb(config);
  } catch (error) {
    if (error instanceof UserError) throw error;
    const where = config.DATABASE_URL
      ? 'PostgreSQL (DATABASE_URL)'
      : `the PGlite folder ${config.HQ_DATA_DIR}`;
    throw new UserError(`cannot open the database at ${where}: ${(error as Error).message}`);
  }
  try {
    try {
      if (options.readOnly) await assertMigrated(opened.db);
      else await migrate(opened.db);
    } catch (error) {
      if (error instanceof UserError) throw error;
      throw new UserError(`cannot migrate the database: ${(error as Error).message}`);
    }
    return await fn(opened.db);
  } finally {
    await opened.close();
  }
}
