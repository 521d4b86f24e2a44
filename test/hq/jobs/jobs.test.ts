import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src-shared/kernel/clock.js';
import { runNightlyJobs, type NightlyReport } from '../../../src-hq/jobs/nightly.js';
import { nextRunAt, scheduleNightlyJobs, type Timer } from '../../../src-hq/jobs/schedule.js';
import { pushEvents } from '../../../src-hq/store/ingest.js';
import { getMember } from '../../../src-hq/store/members.js';
import { publishProgram } from '../../../src-hq/store/programs.js';
import { createStore } from '../../../src-hq/store/stores.js';
import { createEnrollmentCode, enrollTerminal } from '../../../src-hq/store/terminals.js';
import type { Program, ProgramInput } from '../../../src-shared/program/schema.js';
import { databases, type TestDatabase } from '../../support/databases.js';
import { eventFactory, testProgram } from '../../support/events.js';

const programInput: Partial<ProgramInput> = {
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
};
const program: Program = testProgram(programInput);

/** Clocks at 03:00 in Paris on a day. */
const at = (day: string) => new ManualClock(Date.parse(`${day}T02:00:00Z`));
const status = (r: NightlyReport) => Object.fromEntries(r.results.map((x) => [x.job, x.status]));

describe.each(databases)('nightly jobs on %s', { timeout: 60_000 }, (_name, open) => {
  let t: TestDatabase;
  const hqEvents = async () =>
    (
      await t.db.query<{ type: string; member_id: string; payload: Record<string, unknown> }>(
        "SELECT type, member_id, body->'payload' AS payload FROM events WHERE terminal_id = 'hq' ORDER BY terminal_seq",
      )
    ).rows;

  beforeAll(async () => {
    t = await open();
    const clock = at('2025-01-05');
    await publishProgram(t.db, program);
    await createStore(t.db, { id: 's-1', name: 'One', timeZone: 'Europe/Paris' });
    const { code } = await createEnrollmentCode(t.db, 's-1', clock);
    const { terminalId } = await enrollTerminal(t.db, code, 'till', clock);
    const f = eventFactory({ terminalId, storeId: 's-1' });
    f.enrolled('ann', { birthMonth: 3 }, '2025-01-05T10:00:00Z');
    f.earned('ann', 600, '2025-01-10T10:00:00Z');
    f.enrolled('bob', { birthMonth: 4 }, '2025-01-05T11:00:00Z');
    f.earned('bob', 50, '2025-12-01T10:00:00Z');
    const results = await pushEvents(t.db, { id: terminalId, storeId: 's-1' }, f.events, clock);
    expect(results.every((r) => r.status === 'posted')).toBe(true);
    expect((await getMember(t.db, 'ann'))?.tier).toBe('gold');
  }, 60_000);
  afterAll(async () => t?.close(), 60_000);

  it('gives a birthday bonus in the birth month, once per business day and once per year', async () => {
    const first = await runNightlyJobs(t.db, at('2025-03-05'));
    expect(first.businessDay).toBe('2025-03-05');
    expect(status(first)).toEqual({
      'points-expiry': 'done',
      'tier-evaluation': 'done',
      'birthday-bonus': 'done',
      'allowance-recompute': 'done',
    });
    expect(await hqEvents()).toEqual([
      {
        type: 'bonus-awarded',
        member_id: 'ann',
        payload: expect.objectContaining({ kind: 'birthday', points: 50 }),
      },
    ]);
    // The same business day again: every job skipped, nothing new.
    const again = await runNightlyJobs(t.db, at('2025-03-05'));
    expect(again.results.every((r) => r.status === 'skipped' && /already ran/.test(r.reason ?? ''))).toBe(
      true,
    );
    // Another day of March: the jobs run, but Ann had her bonus this year.
    const later = await runNightlyJobs(t.db, at('2025-03-20'));
    expect(later.results.find((r) => r.job === 'birthday-bonus')).toMatchObject({
      status: 'done',
      changes: 0,
    });
    expect(await hqEvents()).toHaveLength(1);
    expect((await getMember(t.db, 'ann'))?.balance).toBe(650);
  });

  it('downgrades a tier once the window no longer qualifies', async () => {
    await runNightlyJobs(t.db, at('2025-05-10'));
    const events = await hqEvents();
    expect(events.slice(1)).toEqual([
      { type: 'tier-changed', member_id: 'ann', payload: { from: 'gold', to: 'member', qualifying: 0 } },
    ]);
    expect((await getMember(t.db, 'ann'))?.tier).toBe('member');
  });

  it('expires a batch past its date and leaves younger ones', async () => {
    const report = await runNightlyJobs(t.db, at('2026-01-15'));
    expect(report.results.find((r) => r.job === 'points-expiry')).toMatchObject({ changes: 1, points: 600 });
    const expired = (await hqEvents()).filter((e) => e.type === 'points-expired');
    expect(expired).toEqual([
      {
        type: 'points-expired',
        member_id: 'ann',
        payload: expect.objectContaining({ points: 600, reason: 'rolling' }),
      },
    ]);
    // Ann keeps her birthday points (expiring in March); Bob's December points stay.
    expect((await getMember(t.db, 'ann'))?.balance).toBe(50);
    expect((await getMember(t.db, 'bob'))?.balance).toBe(50);
    // A birthday the next year earns a new bonus.
    await runNightlyJobs(t.db, at('2026-03-02'));
    const birthdays = (await hqEvents()).filter((e) => e.type === 'bonus-awarded');
    expect(birthdays).toHaveLength(2);
  });

  it('rewrites a stale offline allowance after the policy changed, without an event', async () => {
    await publishProgram(
      t.db,
      testProgram({ ...programInput, version: 2, offline: { ...program.offline, allowanceCap: 20 } }),
    );
    const before = await hqEvents();
    const seq = async () =>
      (await t.db.query<{ change_seq: number }>("SELECT change_seq FROM members WHERE id = 'bob'")).rows[0]
        ?.change_seq;
    const bobSeq = await seq();
    const report = await runNightlyJobs(t.db, at('2026-03-03'));
    expect(report.program).toEqual({ id: 'test-program', version: 2 });
    expect(report.results.find((r) => r.job === 'allowance-recompute')).toMatchObject({
      status: 'done',
      changes: 2,
    });
    expect((await getMember(t.db, 'bob'))?.offlineAllowance).toBe(20);
    expect(await seq()).toBeGreaterThan(bobSeq ?? 0);
    expect((await hqEvents()).length).toBe(before.length);
  });

  it('respects a claim still running and takes over one that died', async () => {
    const clock = at('2026-04-01');
    await t.db.query(
      `INSERT INTO job_runs (job, business_day, summary, ran_at) VALUES
         ('points-expiry', '2026-04-01', '{"state":"running"}', $1),
         ('tier-evaluation', '2026-04-01', '{"state":"running"}', $2)`,
      [new Date(clock.now() - 60_000).toISOString(), new Date(clock.now() - 2 * 3_600_000).toISOString()],
    );
    const report = await runNightlyJobs(t.db, clock);
    expect(report.results.find((r) => r.job === 'points-expiry')).toMatchObject({
      status: 'skipped',
      reason: expect.stringMatching(/has not finished/),
    });
    expect(report.results.find((r) => r.job === 'tier-evaluation')?.status).toBe('done');
  });

  it('refuses a business day in the future', async () => {
    await expect(runNightlyJobs(t.db, at('2026-04-01'), { businessDay: '2026-04-02' })).rejects.toThrow(
      /future/,
    );
  });

  it('runs on schedule through an injected timer, and stops', async () => {
    const clock = new ManualClock(Date.parse('2026-04-10T12:00:00Z'));
    const armed: { fn: () => void; ms: number }[] = [];
    let cleared = 0;
    const timer: Timer = {
      setTimeout: (fn, ms) => armed.push({ fn, ms }),
      clearTimeout: () => {
        cleared += 1;
      },
    };
    const runs: NightlyReport[] = [];
    let ran: () => void = () => undefined;
    const stop = scheduleNightlyJobs(t.db, clock, {
      at: '02:30',
      timeZone: 'Europe/Paris',
      timer,
      onRun: (r) => {
        runs.push(r);
        ran();
      },
    });
    // Next 02:30 in Paris (UTC+2) is 00:30 UTC tomorrow: 12.5 hours away.
    expect(armed[0]?.ms).toBe(12.5 * 3_600_000);
    clock.set('2026-04-11T00:30:00Z');
    await new Promise<void>((resolve) => {
      ran = resolve;
      armed[0]?.fn();
    });
    expect(runs[0]?.businessDay).toBe('2026-04-11');
    // Re-armed for the next night.
    expect(armed[1]?.ms).toBe(24 * 3_600_000);
    stop();
    expect(cleared).toBe(1);
  });
});

describe('nextRunAt', () => {
  const next = (now: string, at: string, zone: string) =>
    new Date(nextRunAt(Date.parse(now), at, zone)).toISOString();

  it('finds the next local time, today or tomorrow', () => {
    expect(next('2026-01-10T12:00:00Z', '02:30', 'Europe/Paris')).toBe('2026-01-11T01:30:00.000Z');
    expect(next('2026-01-10T00:00:00Z', '02:30', 'Europe/Paris')).toBe('2026-01-10T01:30:00.000Z');
    expect(next('2026-01-10T01:30:00Z', '02:30', 'Europe/Paris')).toBe('2026-01-11T01:30:00.000Z');
    expect(next('2026-01-10T12:00:00Z', '23:45', 'America/New_York')).toBe('2026-01-11T04:45:00.000Z');
  });

  it('runs right after the gap on the night clocks go forward, and once on the night they go back', () => {
    // Paris: 02:00 → 03:00 on 29 March 2026; 02:30 does not exist, so 03:00 local (01:00 UTC).
    expect(next('2026-03-28T12:00:00Z', '02:30', 'Europe/Paris')).toBe('2026-03-29T01:00:00.000Z');
    // 25 October 2026: 02:30 happens twice; the first (UTC+2) is taken.
    expect(next('2026-10-24T12:00:00Z', '02:30', 'Europe/Paris')).toBe('2026-10-25T00:30:00.000Z');
    expect(next('2026-10-25T00:30:00Z', '02:30', 'Europe/Paris')).toBe('2026-10-26T01:30:00.000Z');
  });
});
