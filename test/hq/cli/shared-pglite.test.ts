// The CLI while HQ runs on PGlite: HQ holds its folder and shares its database over a private socket, and
// an admin command works through it. Sessions and HQ's own statements take turns whole (a transaction of
// one never runs inside the other's), a quiet or killed session cannot keep HQ waiting, the notifications
// a session's commit raises reach HQ's listeners, and a lock left by a crashed HQ is seen as stale. Then
// the acceptance: with HQ started on a PGlite folder, `report liability` answers HQ's figures and
// `console-user add` writes a user HQ signs in. Every wait is for a condition (polled), never a sleep.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type StartedServer } from '../../../src-hq/api/server.js';
import { runCli } from '../../../src-hq/cli/run.js';
import { openPglite, openPostgres, type Db, type PgliteDb } from '../../../src-hq/db/database.js';
import {
  ENDPOINT_FILE,
  endpointUrl,
  folderState,
  FolderHeldError,
  LOCK_FILE,
  lockFolder,
  sharePglite,
  type SharedPglite,
} from '../../../src-hq/db/pglite-share.js';
import { liabilityReport } from '../../../src-hq/reports/reports.js';
import { seedDemo } from '../../../src-hq/seed/demo.js';
import { currentProgram } from '../../../src-hq/store/programs.js';
import { CONSOLE_API } from '../../../src-shared/console/api.js';
import { systemClock } from '../../../src-shared/kernel/clock.js';

/** Polls `condition` until it holds (a few seconds at most). */
async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** A promise and the function that settles it. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/** The id of a process that has ended. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

describe('a shared PGlite', { timeout: 60_000 }, () => {
  let dir: string;
  let release: () => void;
  let db: PgliteDb;
  let shared: SharedPglite;
  let cli: Db;
  const rows = async () => (await db.query<{ n: number }>('SELECT n FROM t ORDER BY n')).rows.map((r) => r.n);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hq-share-'));
    release = lockFolder(dir);
    db = await openPglite(join(dir, 'pgdata'));
    await db.exec('CREATE TABLE t (n int)');
    shared = await sharePglite(db, dir, { holdTimeoutMs: 500 });
    cli = openPostgres(endpointUrl(shared.endpoint), { max: 1 });
  });
  afterEach(async () => {
    await db.query('DELETE FROM t');
  });
  afterAll(async () => {
    await cli?.close();
    await shared?.close();
    await db?.close();
    release?.();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is on a Unix socket only its OS user can reach, named in a 0600 endpoint file', () => {
    expect(shared.endpoint).toEqual({ pid: process.pid, host: join(dir, 'socket'), port: 5432 });
    expect(statSync(join(dir, 'socket')).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, ENDPOINT_FILE)).mode & 0o777).toBe(0o600);
    expect(folderState(dir)).toEqual({
      state: 'shared',
      pid: process.pid,
      url: endpointUrl(shared.endpoint),
    });
  });

  it("runs a session's statement after HQ's transaction, never inside it", async () => {
    const hqInside = gate();
    const hqMayEnd = gate();
    const hq = db
      .transaction(async (tx) => {
        await tx.query('INSERT INTO t VALUES (1)');
        hqInside.open();
        await hqMayEnd.opened;
        throw new Error('HQ rolls back');
      })
      .catch((error: Error) => error.message);
    await hqInside.opened;
    const session = cli.query('INSERT INTO t VALUES (2)');
    // The session's first message is waiting for the floor while HQ's transaction is open.
    await until(() => db.engine.floor.waiting > 0, 'the session to wait for the floor');
    hqMayEnd.open();
    expect(await hq).toBe('HQ rolls back');
    await session;
    // Had it run inside HQ's transaction, HQ's rollback would have taken it too.
    expect(await rows()).toEqual([2]);
  });

  it("runs HQ's statement after a session's transaction, never inside it", async () => {
    const sessionInside = gate();
    const sessionMayEnd = gate();
    const session = cli
      .transaction(async (tx) => {
        await tx.query('INSERT INTO t VALUES (3)');
        sessionInside.open();
        await sessionMayEnd.opened;
        throw new Error('the session rolls back');
      })
      .catch((error: Error) => error.message);
    await sessionInside.opened;
    const hq = db.query('INSERT INTO t VALUES (4)');
    await until(() => db.engine.floor.waiting > 0, 'HQ to wait for the floor');
    sessionMayEnd.open();
    expect(await session).toBe('the session rolls back');
    await hq;
    expect(await rows()).toEqual([4]);
  });

  it('disconnects a session that goes quiet inside a transaction, rolling it back, so HQ goes on', async () => {
    const client = new pg.Client({ connectionString: endpointUrl(shared.endpoint) });
    client.on('error', () => undefined);
    await client.connect();
    await client.query('BEGIN');
    await client.query('INSERT INTO t VALUES (5)');
    // HQ waits at most the hold timeout (500 ms here), then the quiet session is gone.
    await db.query('INSERT INTO t VALUES (6)');
    expect(await rows()).toEqual([6]);
    await expect(client.query('COMMIT')).rejects.toThrow();
    await client.end().catch(() => undefined);
  });

  it('rolls back what a session that dies leaves open, at once', async () => {
    const client = new pg.Client({ connectionString: endpointUrl(shared.endpoint) });
    client.on('error', () => undefined);
    await client.connect();
    await client.query('BEGIN');
    await client.query('INSERT INTO t VALUES (7)');
    (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    await db.query('INSERT INTO t VALUES (8)');
    expect(await rows()).toEqual([8]);
    await until(() => shared.sessions === 0 || shared.sessions === 1, 'the session to be forgotten');
  });

  it("hands HQ's listeners the notifications a session's commit raises, not a rolled-back one's", async () => {
    const heard: string[] = [];
    const unlisten = await db.listen('loyalty_changes', (payload) => heard.push(payload));
    await cli
      .transaction(async (tx) => {
        await tx.query("SELECT pg_notify('loyalty_changes', 'rolled-back')");
        throw new Error('no');
      })
      .catch(() => undefined);
    await cli.query("SELECT pg_notify('loyalty_changes', 'members')");
    await db.query("SELECT pg_notify('loyalty_changes', 'programs')");
    await until(() => heard.length >= 2, 'both notifications');
    expect(heard).toEqual(['members', 'programs']);
    await unlisten();
  });

  it('holds the folder: another opener is refused; a lock and endpoint left by a dead process are stale', () => {
    expect(() => lockFolder(dir)).toThrow(FolderHeldError);
    const other = mkdtempSync(join(tmpdir(), 'hq-stale-'));
    try {
      const pid = deadPid();
      writeFileSync(join(other, LOCK_FILE), String(pid));
      writeFileSync(join(other, ENDPOINT_FILE), JSON.stringify({ pid, host: '127.0.0.1', port: 1 }));
      expect(folderState(other)).toEqual({ state: 'free' });
      const mine = lockFolder(other);
      expect(folderState(other)).toEqual({ state: 'held', pid: process.pid });
      mine();
      expect(existsSync(join(other, LOCK_FILE))).toBe(false);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});

describe('the CLI while HQ runs on PGlite', { timeout: 120_000 }, () => {
  let dir: string;
  let hq: StartedServer;
  const cli = async (argv: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await runCli(argv, {
      env: { HQ_DATA_DIR: dir, USER: 'ops' },
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s) },
    });
    return { code, stdout, stderr };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hq-running-'));
    hq = await startServer({ HQ_DATA_DIR: dir, HQ_HOST: '127.0.0.1', HQ_PORT: 0 }, { logger: false });
    await seedDemo(hq.db, systemClock, { members: 120 });
  }, 120_000);
  afterAll(async () => {
    await hq?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("answers report liability with HQ's own figures", async () => {
    const r = await cli(['report', 'liability', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const program = await currentProgram(hq.db);
    const expected = await liabilityReport(hq.db, program!);
    expect(expected.members).toBeGreaterThan(0);
    expect((JSON.parse(r.stdout) as { liability: unknown }).liability).toEqual(
      JSON.parse(JSON.stringify(expected)),
    );
  });

  it('adds a console user HQ then signs in, and HQ keeps answering', async () => {
    const r = await cli(['console-user', 'add', '--username', 'root', '--name', 'Root', '--role', 'admin']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const password = /Password \(shown once[^:]*\): (\S+)/.exec(r.stdout)?.[1];
    const signIn = await fetch(`${hq.url}${CONSOLE_API.signIn.path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'root', password }),
    });
    expect(signIn.status).toBe(200);
    expect((await fetch(`${hq.url}/v1/health`)).status).toBe(200);
  });

  it('lets go of the folder when HQ stops', async () => {
    await hq.close();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    expect(existsSync(join(dir, ENDPOINT_FILE))).toBe(false);
    expect(existsSync(join(dir, 'socket'))).toBe(false);
    expect(folderState(dir)).toEqual({ state: 'free' });
    // The CLI opens the folder itself now.
    const r = await cli(['console-user', 'list']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/root\s+Root\s+admin/);
  });
});
