// The acceptance, as an administrator types it: `npm run hq -- seed demo && npm run hq -- serve` starts HQ
// and /v1/health answers, on the embedded PGlite folder and on PostgreSQL. Real processes through npm and
// tsx; the test waits for the "listening on <url>" line (never a sleep) and stops HQ with SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { healthSchema } from '../../../src-shared/sync/wire.js';
import { POSTGRES_HINT } from '../../support/databases.js';

const root = resolve(import.meta.dirname, '../../..');

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

function npmHq(args: string[], env: Record<string, string>): ChildProcess {
  // Its own process group, so stopping it reaches npm, tsx and node alike.
  return spawn('npm', ['run', '-s', 'hq', '--', ...args], {
    cwd: root,
    env: { ...process.env, ...env, HQ_HOST: '127.0.0.1' },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function finished(child: ChildProcess): Promise<Finished> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolveExit, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolveExit({ code, stdout, stderr }));
  });
}

/** Resolves with the URL HQ prints once it listens; rejects if the process ends first. */
function listening(child: ChildProcess): Promise<string> {
  let out = '';
  let err = '';
  return new Promise((resolveUrl, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) resolveUrl(m[1]);
    });
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.once('close', (code) =>
      reject(new Error(`serve exited (${code}) before listening:\n${out}\n${err}`)),
    );
  });
}

async function seedThenServe(env: Record<string, string>, database: 'pglite' | 'postgres'): Promise<void> {
  const seed = await finished(npmHq(['seed', 'demo'], env));
  expect(seed.stderr).not.toMatch(/error/i);
  expect(seed).toMatchObject({ code: 0, stdout: expect.stringContaining('Seeded the demo') });
  const serve = npmHq(['serve'], { ...env, HQ_PORT: '0' });
  const exited = finished(serve);
  try {
    const url = await listening(serve);
    const response = await fetch(`${url}/v1/health`);
    expect(response.status).toBe(200);
    const health = healthSchema.parse(await response.json());
    expect(health).toMatchObject({ status: 'ok', database });
  } finally {
    process.kill(-(serve.pid as number), 'SIGTERM');
  }
  const end = await exited;
  expect(end.stdout, end.stderr).toContain('HQ stopped');
}

describe('npm run hq (spawned)', { timeout: 180_000 }, () => {
  it('prints its help through npm and tsx', async () => {
    const r = await finished(npmHq(['--help'], {}));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: npm run hq -- <command>');
    expect(r.stdout).toContain('seed demo');
  });

  it('seeds the demo and serves it on PGlite', async () => {
    const dir = mkdtempSync(resolve(tmpdir(), 'hq-serve-'));
    try {
      await seedThenServe({ HQ_DATA_DIR: dir }, 'pglite');
      // serve let go of the folder.
      expect(existsSync(resolve(dir, 'hq.pid'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('seeds the demo and serves it on PostgreSQL (DATABASE_URL)', async () => {
    const base = process.env.TEST_DATABASE_URL;
    if (!base) throw new Error(POSTGRES_HINT);
    const schema = `serve_${process.pid}_${Date.now().toString(36)}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    try {
      const url = new URL(base);
      url.searchParams.set('options', `-c search_path=${schema}`);
      await seedThenServe({ DATABASE_URL: url.toString() }, 'postgres');
    } finally {
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    }
  });
});
