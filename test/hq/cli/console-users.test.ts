// `console-user add | list | password | disable | enable` in-process, on both databases: a generated
// password is printed once and signs in; one from stdin is never printed; a new password ends the old one
// and the sessions; a disabled user cannot sign in and the last admin cannot be disabled; every change is
// in the audit log as the OS user, and bad input changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../../../src-hq/store/console/audit.js';
import { liveSession, signIn } from '../../../src-hq/store/console/users.js';
import { createStore } from '../../../src-hq/store/stores.js';
import { runCli } from '../../../src-hq/cli/run.js';
import type { CliIo } from '../../../src-hq/cli/io.js';
import { ManualClock } from '../../../src-shared/kernel/clock.js';
import { databases, type TestDatabase } from '../../support/databases.js';

const STACK = /\n\s+at .+:\d+:\d+/;

describe.each(databases)('hq CLI console users on %s', { timeout: 60_000 }, (_name, open) => {
  let t: TestDatabase;
  const clock = new ManualClock(Date.parse('2026-11-20T10:00:00Z'));
  const cli = async (argv: string[], extra: Partial<CliIo> = {}) => {
    let stdout = '';
    let stderr = '';
    const code = await runCli(argv, {
      env: { USER: 'grace' },
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s) },
      clock,
      db: t.db,
      ...extra,
    });
    expect(stderr).not.toMatch(STACK);
    return { code, stdout, stderr };
  };
  const stdin = (text: string): Partial<CliIo> => ({ readStdin: () => Promise.resolve(text) });
  const printedPassword = (stdout: string): string => {
    const password = /Password \(shown once[^:]*\): (\S+)/.exec(stdout)?.[1];
    expect(password, stdout).toBeDefined();
    return password!;
  };
  const canSignIn = async (username: string, password: string) =>
    (await signIn(t.db, username, password, clock)) !== null;

  beforeAll(async () => {
    t = await open();
    await createStore(t.db, { id: 's-1', name: 'Store one', timeZone: 'Europe/Paris' });
  }, 60_000);
  afterAll(async () => t?.close(), 60_000);

  it('adds an admin with a generated password, printed once, that signs in', async () => {
    const r = await cli([
      'console-user',
      'add',
      '--username',
      'ada',
      '--name',
      'Ada Lovelace',
      '--role',
      'admin',
    ]);
    expect(r).toMatchObject({ code: 0, stdout: expect.stringContaining('Added admin ada (Ada Lovelace).') });
    const password = printedPassword(r.stdout);
    expect(password).toMatch(/^[A-Za-z0-9_-]{20}$/);
    expect(await canSignIn('ada', password)).toBe(true);
    expect(await canSignIn('ada', `${password}x`)).toBe(false);
    // Kept only hashed.
    const stored = await t.db.query<{ password_hash: string }>(
      "SELECT password_hash FROM console_users WHERE username = 'ada'",
    );
    expect(stored.rows[0]?.password_hash).toMatch(/^scrypt\$/);
    expect(stored.rows[0]?.password_hash).not.toContain(password);
  });

  it('takes a password from stdin without printing it, and a store manager with stores', async () => {
    const r = await cli(
      [
        'console-user',
        'add',
        '--username',
        'sam',
        '--name',
        'Sam',
        '--role',
        'store-manager',
        '--store',
        's-1',
        '--password-stdin',
      ],
      stdin('a long enough secret\n'),
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Added store-manager sam (Sam) for s-1.');
    expect(r.stdout).not.toContain('a long enough secret');
    expect(r.stdout).not.toMatch(/Password/);
    expect(await canSignIn('sam', 'a long enough secret')).toBe(true);
  });

  it('refuses bad input with a clear message and adds nothing', async () => {
    const before = (await cli(['console-user', 'list', '--json'])).stdout;
    expect(
      await cli(['console-user', 'add', '--username', 'x1', '--name', 'X', '--role', 'boss']),
    ).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--role'),
    });
    expect(
      await cli(['console-user', 'add', '--username', 'Bad Name', '--name', 'X', '--role', 'admin']),
    ).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--username'),
    });
    expect(
      await cli(
        ['console-user', 'add', '--username', 'x2', '--name', 'X', '--role', 'admin', '--password-stdin'],
        stdin('short\n'),
      ),
    ).toMatchObject({ code: 1, stderr: expect.stringContaining('at least 12 characters') });
    expect(
      await cli(['console-user', 'add', '--username', 'ada', '--name', 'Again', '--role', 'analyst']),
    ).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('already a user "ada"'),
    });
    expect(
      await cli([
        'console-user',
        'add',
        '--username',
        'x3',
        '--name',
        'X',
        '--role',
        'store-manager',
        '--store',
        'nowhere',
      ]),
    ).toMatchObject({ code: 1, stderr: expect.stringContaining('There is no store "nowhere"') });
    expect((await cli(['console-user', 'list', '--json'])).stdout).toBe(before);
  });

  it('lists the users with their role, stores and status', async () => {
    const r = await cli(['console-user', 'list']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^username\s+name\s+role\s+stores\s+status\s+last sign-in$/);
    expect(lines.find((l) => l.startsWith('ada '))).toMatch(/admin\s+\(all\)\s+active/);
    expect(lines.find((l) => l.startsWith('sam '))).toMatch(/store-manager\s+s-1\s+active/);
  });

  it('sets a new password: the old one and every session end', async () => {
    const session = await signIn(t.db, 'sam', 'a long enough secret', clock);
    expect(session).not.toBeNull();
    const r = await cli(['console-user', 'password', '--username', 'sam', '--reason', 'forgotten']);
    expect(r).toMatchObject({ code: 0, stdout: expect.stringContaining('Set a new password for sam') });
    const password = printedPassword(r.stdout);
    expect(await canSignIn('sam', 'a long enough secret')).toBe(false);
    expect(await canSignIn('sam', password)).toBe(true);
    expect(await liveSession(t.db, session!.token, clock)).toBeNull();
    expect(await cli(['console-user', 'password', '--username', 'nobody'])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('no console user "nobody"'),
    });
  });

  it('disables and enables a user, and never the last active admin', async () => {
    const sam = await cli(
      ['console-user', 'password', '--username', 'sam', '--password-stdin'],
      stdin('sam password 12'),
    );
    expect(sam.code).toBe(0);
    expect(await cli(['console-user', 'disable', '--username', 'sam', '--reason', 'left'])).toMatchObject({
      code: 0,
      stdout: 'Disabled sam.\n',
    });
    expect(await canSignIn('sam', 'sam password 12')).toBe(false);
    expect((await cli(['console-user', 'list'])).stdout).toMatch(/sam .*disabled/);
    expect((await cli(['console-user', 'enable', '--username', 'sam'])).code).toBe(0);
    expect(await canSignIn('sam', 'sam password 12')).toBe(true);

    const last = await cli(['console-user', 'disable', '--username', 'ada']);
    expect(last).toMatchObject({ code: 1, stderr: expect.stringContaining('last admin') });
    const ada = await t.db.query<{ disabled: boolean }>(
      "SELECT disabled FROM console_users WHERE username = 'ada'",
    );
    expect(ada.rows[0]?.disabled).toBe(false);
  });

  it('writes every change to the audit log as the OS user, with the reason', async () => {
    const { entries } = await listAudit(t.db, { actor: 'cli:grace', limit: 100 });
    const seen = entries.map((e) => `${e.action} ${e.target ?? ''} ${e.reason ?? ''}`.trim()).reverse();
    expect(seen).toEqual([
      'user.create user ada',
      'user.create user sam',
      'user.password user sam forgotten',
      'user.password user sam',
      'user.change user sam left',
      'user.change user sam',
    ]);
    expect(entries.every((e) => e.outcome === 'done')).toBe(true);
    expect(JSON.stringify(entries)).not.toContain('sam password 12');
  });
});
