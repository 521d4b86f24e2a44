// The admin CLI run in-process through runCli: exit codes, messages on the right stream, never a stack trace.
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src-shared/kernel/clock.js';
import { verifyPin } from '../../../src-shared/kernel/pin.js';
import { runCli } from '../../../src-hq/cli/run.js';
import { COMMANDS } from '../../../src-hq/cli/commands.js';
import type { CliIo } from '../../../src-hq/cli/io.js';
import { listCashiers, listStaffPins } from '../../../src-hq/store/catalog.js';
import { databases, pgliteDatabase, type TestDatabase } from '../../support/databases.js';
import { publishTestProgram } from '../store/helpers.js';
import { balanceOf, enrolledMember, hqCredits, insertHeldReview } from '../store/review-fixtures.js';

const root = resolve(import.meta.dirname, '../../..');
const example = resolve(root, 'examples/programs/coffee-shop.json');
const broken = resolve(root, 'test/shared/program/fixtures/broken-program.json');
const STACK = /\n\s+at .+:\d+:\d+/;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

describe('hq CLI (in-process)', { timeout: 60_000 }, () => {
  let t: TestDatabase;
  let dir: string;
  const clock = new ManualClock(Date.parse('2026-11-20T10:00:00Z'));
  const cli = async (argv: string[], extra: Partial<CliIo> = {}): Promise<Run> => {
    let stdout = '';
    let stderr = '';
    const code = await runCli(argv, {
      env: { HQ_DATA_DIR: resolve(dir, 'unused') },
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s) },
      clock,
      db: t.db,
      ...extra,
    });
    expect(stderr).not.toMatch(STACK);
    return { code, stdout, stderr };
  };
  const file = (name: string, text: string): string => {
    const path = resolve(dir, name);
    writeFileSync(path, text);
    return path;
  };

  beforeAll(async () => {
    t = await pgliteDatabase();
    dir = mkdtempSync(resolve(tmpdir(), 'hq-cli-'));
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('prints help for the whole CLI and for every command', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    for (const c of COMMANDS) expect(help.stdout).toContain(c.path.join(' '));
    for (const c of COMMANDS) {
      const r = await cli([...c.path, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Usage: npm run hq -- ${c.path.join(' ')}`));
    }
    expect((await cli(['help', 'jobs', 'run'])).stdout).toMatch(/--day YYYY-MM-DD/);
  });

  it('answers usage errors with exit code 2 and the usage', async () => {
    expect((await cli([])).code).toBe(2);
    const unknown = await cli(['frobnicate']);
    expect(unknown).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('unknown command "frobnicate"'),
    });
    expect(await cli(['members'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('members needs one of: import'),
    });
    const option = await cli(['jobs', 'run', '--bogus']);
    expect(option).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/Unknown option '--bogus'[\s\S]*Usage: npm run hq -- jobs run/),
    });
    expect(await cli(['jobs', 'run', '--day', '20-11-2026'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--day: a date YYYY-MM-DD'),
    });
    expect(await cli(['program', 'publish'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('missing <file.json>'),
    });
    expect(
      await cli(['cashier', 'add', '--store', 's', '--name', 'A', '--role', 'boss', '--pin', '1234']),
    ).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--role: cashier or manager'),
    });
    expect(
      await cli(['cashier', 'add', '--store', 's', '--name', 'A', '--role', 'cashier', '--pin', '12']),
    ).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--pin: a PIN is 4 to 8 digits'),
    });
  });

  it("publishes a program: version 1, then refuses the same file, and lists a broken file's problems", async () => {
    const first = await cli(['program', 'publish', example]);
    expect(first).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('bean-there) version 1: it is now current'),
    });
    const again = await cli(['program', 'publish', example]);
    expect(again).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('version 1 is already published with this content'),
    });
    const bad = await cli(['program', 'publish', broken]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/is not a valid program \(\d+ problems\)/);
    expect(bad.stderr).toContain('  timeZone: an IANA time zone');
    expect(bad.stderr).toContain('  earning.rules.0.points:');
    expect(bad.stderr).toContain('  earning.rules.2.id: duplicate id "weekend"');
    expect(await cli(['program', 'publish', resolve(dir, 'nope.json')])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('no such file'),
    });
  });

  it('adds stores and cashiers, with the PIN given or asked for twice', async () => {
    expect(
      await cli([
        'store',
        'add',
        '--id',
        'paris-1',
        '--name',
        'Paris Bastille',
        '--time-zone',
        'Europe/Paris',
      ]),
    ).toMatchObject({ code: 0 });
    expect(
      await cli(['store', 'add', '--id', 'paris-1', '--name', 'Again', '--time-zone', 'Europe/Paris']),
    ).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('exists already'),
    });
    expect((await cli(['store', 'list'])).stdout).toContain('Paris Bastille');
    const added = await cli([
      'cashier',
      'add',
      '--store',
      'paris-1',
      '--name',
      'Marie',
      '--role',
      'manager',
      '--pin',
      '482913',
      '--id',
      'marie',
    ]);
    expect(added).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('Added manager Marie (id marie) to store paris-1'),
    });
    const answers = ['7351', '7351'];
    const asked = await cli(
      ['cashier', 'add', '--store', 'paris-1', '--name', 'Luc', '--role', 'cashier', '--id', 'luc'],
      {
        prompt: async (_q, options) => {
          expect(options.hidden).toBe(true);
          return answers.shift() ?? '';
        },
      },
    );
    expect(asked.code).toBe(0);
    const mismatch = ['1111', '2222'];
    expect(
      await cli(['cashier', 'add', '--store', 'paris-1', '--name', 'Zoe', '--role', 'cashier'], {
        prompt: async () => mismatch.shift() ?? '',
      }),
    ).toMatchObject({ code: 1, stderr: expect.stringContaining('the two PINs differ') });
    expect(
      await cli(['cashier', 'add', '--store', 'paris-1', '--name', 'Zoe', '--role', 'cashier']),
    ).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--pin is required'),
    });
    expect(
      await cli([
        'cashier',
        'add',
        '--store',
        'nowhere',
        '--name',
        'Zoe',
        '--role',
        'cashier',
        '--pin',
        '1234',
      ]),
    ).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('There is no store "nowhere"'),
    });
    const cashiers = await listCashiers(t.db, { storeId: 'paris-1' });
    expect(cashiers.map((c) => c.id).sort()).toEqual(['luc', 'marie']);
    const pins = await listStaffPins(t.db, 'paris-1');
    expect(verifyPin('7351', pins.find((c) => c.id === 'luc')!.pinHash)).toBe(true);
    expect(verifyPin('482913', pins.find((c) => c.id === 'marie')!.pinHash)).toBe(true);
  });

  it('makes a one-time enrollment code and an admin token', async () => {
    const r = await cli(['terminal', 'enroll', '--store', 'paris-1']);
    expect(r).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/Enrollment code for store paris-1: [A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}/),
    });
    expect(await cli(['terminal', 'enroll', '--store', 'nowhere'])).toMatchObject({ code: 1 });
    expect(await cli(['terminal', 'enroll'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--store is required'),
    });
    expect((await cli(['admin', 'token', '--name', 'back office'])).stdout).toMatch(
      /Admin token for back office: \S{40,}/,
    );
  });

  it('imports members and products, listing refused rows by line on stderr (exit 1)', async () => {
    const members = file(
      'members.csv',
      '\uFEFFfirst_name,last_name,phone,cards,balance\r\nAda,Lovelace,06 12 34 56 78,0490000000016,120\r\nBad,Phone,abc,,\r\nGrace,Hopper,,0490000000016,\r\n',
    );
    const r = await cli(['members', 'import', members, '--country', '33']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('line 3: phone: not a phone number');
    expect(r.stderr).toContain('line 4: card 0490000000016 appears already on line 2');
    expect(r.stdout).toContain('Imported 1 of 3 members in 1 batch; 2 rows refused.');
    const good = file('members-ok.csv', 'first_name,cards\nLinus,0490000000023\n');
    expect(await cli(['members', 'import', good])).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('Imported 1 of 1 members'),
    });
    expect(await cli(['members', 'import', file('bad-header.csv', 'name\nx\n')])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('unknown column "name"'),
    });
    expect(await cli(['members', 'import', good, '--country', 'FR'])).toMatchObject({ code: 2 });

    const products = file(
      'products.csv',
      'sku,gtin,name,category,price\nBT-COFFEE,4006381333931,Coffee,coffee,2.50\nBT-X,123,Bad,coffee,1\n',
    );
    const p = await cli(['products', 'import', products]);
    expect(p.code).toBe(1);
    expect(p.stdout).toContain(
      'Imported 1 of 2 products in 1 batch (1 new, 0 updated, 0 unchanged); 1 row refused.',
    );
    expect(p.stderr).toContain('line 3: gtin: not a GTIN');
  });

  it('runs the nightly jobs once per day and prints the reports', async () => {
    const jobs = await cli(['jobs', 'run']);
    expect(jobs).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(
        /Nightly jobs for 2026-11-20 \(bean-there v1\)[\s\S]*points-expiry\s+done/,
      ),
    });
    expect((await cli(['jobs', 'run'])).stdout).toMatch(/points-expiry\s+skipped.*already ran/);
    expect(await cli(['jobs', 'run', '--day', '2026-11-21'])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('in the future'),
    });
    expect((await cli(['jobs', 'run', '--day', '2026-11-19', '--only', 'birthday-bonus'])).stdout).toMatch(
      /birthday-bonus\s+done/,
    );

    const all = await cli(['report']);
    expect(all.code).toBe(0);
    // Ada's 120 opening points at 20 points = 1.00 EUR.
    expect(all.stdout).toContain('120 points held by 1 of 2 members: 6.00 EUR');
    expect(all.stdout).toMatch(/2026-11-20\s+3\s+120\s+0\s+0/);
    expect(all.stdout).toContain('Review queue: 0 open');
    const json = JSON.parse((await cli(['report', 'liability', '--json'])).stdout) as {
      liability: { liability: number };
    };
    expect(json.liability.liability).toBe(600);
    // With a member in debt (an overdraft of 30), the liability is net of it, and says so.
    await t.db.query(
      "INSERT INTO members (id, doc, balance, debt, change_seq) VALUES ('owes', '{}'::jsonb, 0, 30, 0)",
    );
    const net = (await cli(['report', 'liability'])).stdout;
    expect(net).toContain('120 points held by 1 of 3 members\n');
    expect(net).toContain('30 points owed by members after overdrafts; net 90 points: 4.50 EUR');
    expect(await cli(['report', 'sideways'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('one of liability, daily, reviews'),
    });
  });
});

describe('hq CLI on the configured database', { timeout: 60_000 }, () => {
  it('migrates the PGlite folder of HQ_DATA_DIR once, and refuses a folder another process holds without sharing it', async () => {
    const dir = mkdtempSync(resolve(tmpdir(), 'hq-cli-env-'));
    const io = (out: string[]): CliIo => ({
      env: { HQ_DATA_DIR: dir },
      stdout: { write: (s: string) => out.push(s) },
      stderr: { write: (s: string) => out.push(s) },
    });
    try {
      const out: string[] = [];
      expect(await runCli(['migrate'], io(out))).toBe(0);
      expect(out.join('')).toMatch(/Applied 0001_init/);
      expect(await runCli(['migrate'], io(out))).toBe(0);
      expect(out.join('')).toContain('The database is up to date.');
      // A live process (this one's parent) holding the folder for a while, with no endpoint: not an HQ
      // starting up (that is waited for), so refused at once, saying which file is stale if it is.
      writeFileSync(resolve(dir, 'hq.pid'), String(process.ppid));
      const aMinuteAgo = new Date(Date.now() - 60_000);
      utimesSync(resolve(dir, 'hq.pid'), aMinuteAgo, aMinuteAgo);
      const refused: string[] = [];
      expect(await runCli(['store', 'list'], io(refused))).toBe(1);
      expect(refused.join('')).toContain(`process ${process.ppid} holds the PGlite folder`);
      expect(refused.join('')).toContain(`remove ${resolve(dir, 'hq.pid')}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.each(databases)('hq CLI review queue on %s', { timeout: 60_000 }, (_name, open) => {
  let t: TestDatabase;
  const clock = new ManualClock(Date.parse('2026-11-20T10:00:00Z'));
  const cli = async (argv: string[], env: Record<string, string> = { USER: 'ada' }): Promise<Run> => {
    let stdout = '';
    let stderr = '';
    const code = await runCli(argv, {
      env,
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s) },
      clock,
      db: t.db,
    });
    expect(stderr).not.toMatch(STACK);
    return { code, stdout, stderr };
  };
  const openCount = async (): Promise<{ open: number; ids: number[] }> => {
    const r = await cli(['report', 'reviews', '--json']);
    const { reviews } = JSON.parse(r.stdout) as { reviews: { open: number; items: { id: number }[] } };
    return { open: reviews.open, ids: reviews.items.map((i) => i.id) };
  };

  beforeAll(async () => {
    t = await open();
    await publishTestProgram(t.db);
  }, 60_000);
  afterAll(async () => t?.close(), 60_000);

  it('lists, shows, approves (crediting the held points once) and rejects, and the report counts open items only', async () => {
    const { memberId, terminalId } = await enrolledMember(t.db, clock, 100);
    const before = await balanceOf(t.db, memberId);
    const held = await insertHeldReview(t.db, { memberId, held: 40, terminalId });
    const other = await insertHeldReview(t.db, { memberId, held: 12, kind: 'other-kind' });
    const start = await openCount();
    expect(start.ids).toEqual(expect.arrayContaining([held, other]));

    const listed = await cli(['reviews', 'list', '--member', memberId]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(
      new RegExp(`^${held}\\s+over-claim\\s.*${terminalId}\\s+open\\s+holds 40 points`, 'm'),
    );
    expect(listed.stdout).toMatch(new RegExp(`^${other}\\s+other-kind\\s`, 'm'));
    const byKind = JSON.parse(
      (await cli(['reviews', 'list', '--member', memberId, '--kind', 'other-kind', '--json'])).stdout,
    ) as { items: { id: number }[]; next: number | null };
    expect(byKind).toEqual({ items: [expect.objectContaining({ id: other })], next: null });
    expect((await cli(['reviews', 'list', '--terminal', terminalId, '--json'])).stdout).toContain(
      `"id": ${held}`,
    );
    expect((await cli(['reviews', 'list', '--member', memberId, '--limit', '1'])).stdout).toContain(
      `More: add --after ${held}`,
    );

    const shown = await cli(['reviews', 'show', `#${held}`]);
    expect(shown).toMatchObject({ code: 0 });
    expect(shown.stdout).toContain(`Review item #${held}: over-claim, open`);
    expect(shown.stdout).toContain('holds      40 points (approving credits them');

    const approved = await cli(['reviews', 'approve', String(held), '--note', 'receipt checked']);
    expect(approved.code).toBe(0);
    expect(approved.stdout).toMatch(
      new RegExp(
        `Review item #${held} \\(over-claim\\) approved by ada: 40 points credited to member ${memberId}`,
      ),
    );
    expect(await balanceOf(t.db, memberId)).toBe(before + 40);
    expect(await hqCredits(t.db, memberId)).toEqual([
      expect.objectContaining({
        terminalId: 'hq',
        points: 40,
        managerId: 'ada',
        note: `review #${held}: receipt checked`,
      }),
    ]);
    expect(await cli(['reviews', 'approve', String(held), '--by', 'Bob'])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('is already resolved (approved by ada'),
    });
    expect(await balanceOf(t.db, memberId)).toBe(before + 40);
    expect((await cli(['reviews', 'show', String(held)])).stdout).toContain(
      [
        '  decision   approved by ada at 2026-11-20T10:00:00.000Z',
        '  note       receipt checked',
        '  credited   event ',
      ].join('\n'),
    );

    expect(await cli(['reviews', 'reject', String(other)])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--note is required'),
    });
    expect(
      await cli(['reviews', 'reject', String(other), '--note', 'duplicate claim', '--by', 'Bob']),
    ).toMatchObject({
      code: 0,
      stdout: expect.stringContaining(
        `Review item #${other} (other-kind) rejected by Bob: the 12 points it held are not credited.`,
      ),
    });
    expect(await balanceOf(t.db, memberId)).toBe(before + 40);

    const end = await openCount();
    expect(end.open).toBe(start.open - 2);
    expect(end.ids).not.toContain(held);
    expect(end.ids).not.toContain(other);
    expect((await cli(['reviews', 'list', '--member', memberId])).stdout).toContain(
      'No open review items match.',
    );
    expect((await cli(['reviews', 'list', '--member', memberId, '--status', 'resolved'])).stdout).toMatch(
      /approved[\s\S]*rejected/,
    );
  });

  it('refuses unknown items, bad ids and options, and a decision with nobody named', async () => {
    expect(await cli(['reviews', 'show', '99999999'])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('There is no review item #99999999.'),
    });
    expect(await cli(['reviews', 'approve', '99999999'])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('There is no review item #99999999.'),
    });
    expect(await cli(['reviews', 'approve', 'abc'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('<id> is a review item number'),
    });
    expect(await cli(['reviews', 'list', '--status', 'closed'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--status: open, resolved or all'),
    });
    expect(await cli(['reviews'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('reviews needs one of: list, show, approve, reject'),
    });
    const id = await insertHeldReview(t.db, { memberId: null, held: 3 });
    expect(await cli(['reviews', 'approve', String(id)], {})).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--by is required'),
    });
    expect(await cli(['reviews', 'approve', String(id)])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('names no member'),
    });
    expect((await cli(['reviews', 'show', String(id)])).stdout).toContain('open');
  });
});
