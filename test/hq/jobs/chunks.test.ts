// The nightly jobs work a page of members at a time and commit each page on its own (a long transaction
// would hold back the change-number horizon that pulls read up to): the page size must not change what
// they do. Two HQs with the same history run the same night, one in pages of 4 members, one in one page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src-shared/kernel/clock.js';
import type { Db } from '../../../src-hq/db/database.js';
import { runNightlyJobs } from '../../../src-hq/jobs/nightly.js';
import { pushEvents } from '../../../src-hq/store/ingest.js';
import { publishProgram } from '../../../src-hq/store/programs.js';
import { createStore } from '../../../src-hq/store/stores.js';
import { createEnrollmentCode, enrollTerminal } from '../../../src-hq/store/terminals.js';
import { databases, type TestDatabase } from '../../support/databases.js';
import { eventFactory, testProgram } from '../../support/events.js';

const MEMBERS = 23;
const PAGE = 4;
const program = testProgram({
  bonuses: { welcome: 0, birthday: 50 },
  expiry: { mode: 'rolling', months: 12 },
  tiers: {
    basis: 'points',
    windowMonths: 3,
    levels: [
      { id: 'member', label: 'Member', threshold: 0 },
      { id: 'gold', label: 'Gold', threshold: 500 },
    ],
  },
});

/** Members with a March birthday (every other one), an old earn that expires, some gold to downgrade. */
async function history(db: Db): Promise<void> {
  const clock = new ManualClock(Date.parse('2025-01-05T02:00:00Z'));
  await publishProgram(db, program);
  await createStore(db, { id: 's-1', name: 'One', timeZone: 'Europe/Paris' });
  const { code } = await createEnrollmentCode(db, 's-1', clock);
  const { terminalId } = await enrollTerminal(db, code, 'till', clock);
  const f = eventFactory({ terminalId, storeId: 's-1' });
  for (let i = 0; i < MEMBERS; i++) {
    const id = `m-${String(i).padStart(2, '0')}`;
    f.enrolled(id, { birthMonth: i % 2 === 0 ? 3 : 7 }, '2025-01-05T10:00:00Z');
    f.earned(id, i % 3 === 0 ? 600 : 40 + i, '2025-01-10T10:00:00Z');
    if (i % 4 === 0) f.earned(id, 30, '2026-02-20T10:00:00Z');
  }
  const results = await pushEvents(db, { id: terminalId, storeId: 's-1' }, f.events, clock);
  expect(results.every((r) => r.status === 'posted')).toBe(true);
}

/** What the jobs change in a member (event and terminal ids differ between the two HQs). */
const members = async (db: Db) =>
  (
    await db.query<{
      id: string;
      balance: number;
      tier: string | null;
      member_seq: number;
      allowance: string;
    }>(`SELECT id, balance, tier, member_seq, doc->>'offlineAllowance' AS allowance FROM members ORDER BY id`)
  ).rows;

describe.each(databases)('nightly jobs in pages on %s', { timeout: 60_000 }, (_name, open) => {
  let paged: TestDatabase;
  let whole: TestDatabase;

  beforeAll(async () => {
    [paged, whole] = await Promise.all([open(), open()]);
    await history(paged.db);
    await history(whole.db);
  }, 60_000);
  afterAll(async () => {
    await paged?.close();
    await whole?.close();
  }, 60_000);

  it('does the same in pages of 4 as in one page, each page its own transaction', async () => {
    const night = new ManualClock(Date.parse('2026-03-05T02:00:00Z'));
    const small = await runNightlyJobs(paged.db, night, { batchSize: PAGE });
    const large = await runNightlyJobs(whole.db, night, { batchSize: 500 });
    expect(small.results).toEqual(large.results);
    // Something to do in each job that makes events: expiries, downgrades, birthdays.
    const changes = Object.fromEntries(small.results.map((r) => [r.job, r.changes]));
    expect(changes['points-expiry']).toBeGreaterThan(PAGE);
    expect(changes['tier-evaluation']).toBeGreaterThan(0);
    expect(changes['birthday-bonus']).toBe(Math.ceil(MEMBERS / 2));
    expect(await members(paged.db)).toEqual(await members(whole.db));

    // The HQ events of a job's pages were committed by one transaction per page.
    const transactions = async (db: Db) =>
      (
        await db.query<{ type: string; transactions: number }>(
          `SELECT type, count(DISTINCT xmin::text)::bigint AS transactions FROM events
           WHERE terminal_id = 'hq' GROUP BY type ORDER BY type`,
        )
      ).rows;
    const pagedTransactions = await transactions(paged.db);
    const birthdays = pagedTransactions.find((t) => t.type === 'bonus-awarded');
    // The birthday job pages through the March-born members only: 12 of them, 3 pages of 4.
    expect(birthdays?.transactions).toBe(Math.ceil(Math.ceil(MEMBERS / 2) / PAGE));
    expect((await transactions(whole.db)).every((t) => t.transactions === 1)).toBe(true);
  });
});
