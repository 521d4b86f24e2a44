// A PostgreSQL server of a test's own, for tests that stop, restart or crash it (the shared test server
// must keep serving the other test files). initdb in a temporary folder, pg_ctl on a free port of
// 127.0.0.1, trust authentication, fsync off. PostgreSQL refuses to run as root, and tests and CI run as
// root: the server then runs as the `postgres` user (runuser), owning the folder.
//
//   const pgp = await startPrivatePostgres();     // pgp.url: postgres://postgres@127.0.0.1:<port>/postgres
//   await pgp.stop();  …  await pgp.start();      // same port, same data
//   await pgp.restart();                          // pg_ctl restart -m fast
//   await pgp.close();                            // stops it and removes the folder
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { POSTGRES_HINT } from './databases.js';
import { freePort } from './hq.js';

const run = promisify(execFile);

export type ShutdownMode = 'smart' | 'fast' | 'immediate';

export interface PrivatePostgres {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  url: string;
  port: number;
  dataDir: string;
  /** pg_ctl stop (default fast: connections are terminated, as in a failover). */
  stop(mode?: ShutdownMode): Promise<void>;
  /** pg_ctl start, on the same port and data; resolves once it accepts connections. */
  start(): Promise<void>;
  /** pg_ctl restart (default fast). */
  restart(mode?: ShutdownMode): Promise<void>;
  /** Stops the server (immediate) and removes its folder. */
  close(): Promise<void>;
}

/** The newest installed server's bin folder (Debian: /usr/lib/postgresql/<major>/bin). */
export function postgresBinDir(root = '/usr/lib/postgresql'): string {
  const majors = existsSync(root)
    ? readdirSync(root)
        .filter(
          (v) => existsSync(join(root, v, 'bin', 'initdb')) && existsSync(join(root, v, 'bin', 'pg_ctl')),
        )
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const newest = majors[0];
  if (newest === undefined) {
    throw new Error(
      `PostgreSQL's server programs (initdb, pg_ctl) are not under ${root}/*/bin. ${POSTGRES_HINT}`,
    );
  }
  return join(root, newest, 'bin');
}

const asRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

function postgresUser(): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch (error) {
    throw new Error(`Running as root needs a postgres user to run PostgreSQL. ${POSTGRES_HINT}`, {
      cause: error,
    });
  }
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = postgresBinDir();
  const dataDir = mkdtempSync(join(tmpdir(), 'loyalty-pg-'));
  const root = asRoot();
  if (root) {
    const { uid, gid } = postgresUser();
    chownSync(dataDir, uid, gid);
  }
  /** Runs a server program, as the postgres user when we are root. */
  const pgRun = async (program: string, args: string[]): Promise<void> => {
    const [file, argv] = root
      ? ['runuser', ['-u', 'postgres', '--', join(bin, program), ...args]]
      : [join(bin, program), args];
    try {
      await run(file, argv, { timeout: 60_000 });
    } catch (error) {
      const log = join(dataDir, 'server.log');
      const tail = existsSync(log) ? readFileSync(log, 'utf8').split('\n').slice(-15).join('\n') : '';
      const { stderr } = error as { stderr?: string };
      throw new Error(`${program} ${args.join(' ')} failed: ${stderr ?? String(error)}\n${tail}`, {
        cause: error,
      });
    }
  };

  const pgdata = join(dataDir, 'data');
  await pgRun('initdb', ['-D', pgdata, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const port = await freePort();
  // The socket lives in our folder (the default one may not exist or be writable).
  const serverOptions = `-p ${port} -k ${dataDir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60`;
  const ctl = (command: string, extra: string[] = []) =>
    pgRun('pg_ctl', ['-D', pgdata, '-l', join(dataDir, 'server.log'), '-w', '-t', '60', ...extra, command]);

  const start = () => ctl('start', ['-o', serverOptions]);
  const stop = (mode: ShutdownMode = 'fast') => ctl('stop', ['-m', mode]);
  // A crashed test must not leave a server running: stop it when this process exits.
  const onExit = (): void => {
    try {
      const args = ['-D', pgdata, '-m', 'immediate', 'stop'];
      if (root)
        execFileSync('runuser', ['-u', 'postgres', '--', join(bin, 'pg_ctl'), ...args], { stdio: 'ignore' });
      else execFileSync(join(bin, 'pg_ctl'), args, { stdio: 'ignore' });
    } catch {
      // Already stopped.
    }
  };

  try {
    await start();
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  process.once('exit', onExit);

  let closed = false;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dataDir,
    stop,
    start,
    restart: (mode: ShutdownMode = 'fast') => ctl('restart', ['-m', mode, '-o', serverOptions]),
    async close() {
      if (closed) return;
      closed = true;
      process.removeListener('exit', onExit);
      await stop('immediate').catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
