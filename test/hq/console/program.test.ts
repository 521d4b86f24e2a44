// The console's program work on both databases: roles, drafts kept with every problem and its path, the
// diff, the simulation's figures, publishing now (terminals pull the new version) and at a set time (the
// job publishes once, whenever it runs and however often), cancelling, and the audit of each.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_API } from '../../../src-shared/console/api.js';
import { HOUR_MS } from '../../../src-shared/kernel/clock.js';
import { publishDuePrograms, schedulePublications } from '../../../src-hq/jobs/program-publications.js';
import { scheduleNightlyJobs, type Timer } from '../../../src-hq/jobs/schedule.js';
import { currentProgramRef, lockPublications, publishProgram } from '../../../src-hq/store/programs.js';
import { databases, postgresDatabase, type TestDatabase } from '../../support/databases.js';
import { testProgram } from '../../support/events.js';
import {
  SIMULATION_BASKET,
  simulationCurrent,
  simulationDraftDocument,
} from '../../support/simulation-programs.js';
import { apiHarness, type Harness } from '../api/harness.js';
import { signedIn, type ConsoleClient } from './session.js';

const v1 = simulationCurrent;
const draftOf = (version: number) => simulationDraftDocument(version);
const basket = SIMULATION_BASKET;

describe.each(databases)('console program work on %s', { timeout: 60_000 }, (_name, open) => {
  let t: TestDatabase;
  let h: Harness;
  let manager: ConsoleClient;
  let analyst: ConsoleClient;
  beforeAll(async () => {
    t = await open();
    h = await apiHarness(t.db);
    await publishProgram(h.db, v1);
    await signInAll();
  });
  afterAll(async () => {
    await h?.close();
    await t?.close();
  });

  let admin: ConsoleClient;
  /** Sessions end after 30 idle minutes: the tests that move the clock on by hours sign in again. */
  async function signInAll() {
    manager = await signedIn(h.app, h.db, h.clock, 'program-manager');
    analyst = await signedIn(h.app, h.db, h.clock, 'analyst');
    admin = await signedIn(h.app, h.db, h.clock, 'admin');
  }
  const later = async (ms: number) => {
    h.clock.advance(ms);
    await signInAll();
  };
  const auditOf = async (action: string) =>
    (await admin.ok(CONSOLE_API.auditLog, { query: { action } })).entries;

  it('lets the read roles look and only program managers and admins change; store managers see nothing', async () => {
    const { versions } = await analyst.ok(CONSOLE_API.programVersions);
    expect(versions).toEqual([
      expect.objectContaining({ programId: 'test-program', version: 1, current: true, publishedBy: null }),
    ]);
    const refused = await analyst.call(CONSOLE_API.createProgramDraft, { body: { document: draftOf(2) } });
    expect(refused.statusCode).toBe(403);
    const storeManager = await signedIn(h.app, h.db, h.clock, 'store-manager', ['s-1']);
    expect((await storeManager.call(CONSOLE_API.programVersions)).statusCode).toBe(403);
    expect((await analyst.ok(CONSOLE_API.programDrafts)).drafts).toEqual([]);
  });

  it('keeps a draft with every problem and its path, and checks it again when fixed', async () => {
    const broken = draftOf(2);
    (broken.earning as { rules: Record<string, unknown>[] }).rules[0]!.per = 0;
    broken.rewards = [
      {
        id: 'gold-coffee',
        label: 'Coffee',
        kind: 'free-product',
        sku: 'CF-1',
        cost: 50,
        tiers: ['platinum'],
      },
    ];
    const draft = await manager.ok(CONSOLE_API.createProgramDraft, { body: { document: broken } });
    expect(draft.problems.map((p) => p.path).sort()).toEqual(['earning.rules.0.per', 'rewards.0.tiers.0']);
    expect(draft.problems.find((p) => p.path === 'rewards.0.tiers.0')?.message).toBe(
      'unknown tier "platinum"',
    );

    // An invalid draft cannot be simulated or published: 409 with the same problems.
    const simulate = await manager.call(CONSOLE_API.simulateProgramDraft, {
      params: { id: draft.id },
      body: basket,
    });
    expect(simulate.statusCode).toBe(409);
    expect(simulate.json()).toMatchObject({ error: 'draft-invalid', problems: draft.problems });
    const publish = await manager.call(CONSOLE_API.publishProgramDraft, {
      params: { id: draft.id },
      body: {},
    });
    expect(publish.statusCode).toBe(409);

    // Valid as a program, but version 1 is published: HQ's own problem, on `version`.
    const taken = await manager.ok(CONSOLE_API.replaceProgramDraft, {
      params: { id: draft.id },
      body: { document: draftOf(1) },
    });
    expect(taken.problems).toEqual([
      { path: 'version', message: 'version 1 is already published and versions are immutable: use 2' },
    ]);
    const fixed = await manager.ok(CONSOLE_API.replaceProgramDraft, {
      params: { id: draft.id },
      body: { document: draftOf(2) },
    });
    expect(fixed).toMatchObject({ id: draft.id, version: 2, problems: [] });
    const { document } = await analyst.ok(CONSOLE_API.programDraft, { params: { id: draft.id } });
    expect(document).toEqual(draftOf(2));

    const audit = await auditOf('program.draft-create');
    expect(audit[0]).toMatchObject({
      target: `draft ${draft.id}`,
      outcome: 'done',
      details: { problems: 2 },
    });
  });

  it('diffs the draft against the current version and simulates a basket under both', async () => {
    const draft = (await analyst.ok(CONSOLE_API.programDrafts)).drafts.find((d) => d.version === 2)!;
    const diff = await analyst.ok(CONSOLE_API.programDiff, { query: { draft: draft.id } });
    expect(diff.from).toEqual({ programId: 'test-program', version: 1 });
    expect(diff.changes).toEqual([
      expect.objectContaining({
        section: 'rules',
        change: 'changed',
        id: 'base',
        fields: [{ path: 'points', before: 1, after: 2 }],
      }),
      expect.objectContaining({ section: 'rules', change: 'removed', id: 'bakery-double' }),
      expect.objectContaining({
        section: 'rules',
        change: 'changed',
        id: 'visit',
        fields: [
          { path: 'conditions', before: { minBasket: 1000 }, after: null },
          { path: 'points', before: 5, after: 10 },
        ],
      }),
    ]);

    const simulated = await analyst.ok(CONSOLE_API.simulateProgramDraft, {
      params: { id: draft.id },
      body: basket,
    });
    // By hand (see test/shared/program/simulate.test.ts): current 17 + 4 + 6 + 5 = 32, draft 34 + 17 + 10 = 61.
    expect(simulated.current).toMatchObject({ version: 1, points: 32, basketLevel: 6 });
    expect(simulated.current?.lines.map((l) => l.points)).toEqual([8, 18]);
    expect(simulated.draft).toMatchObject({ version: 2, points: 61, basketLevel: 11 });
    expect(simulated.draft.lines.map((l) => l.points)).toEqual([13, 37]);
    expect(simulated.difference).toEqual({ points: 29, lines: [5, 19] });
    expect(simulated.draft.explanation.map((l) => l.ruleId)).toEqual(['base', 'tier:gold', 'visit']);

    // A SKU HQ does not know, without a category: its path says which line.
    const unknown = await analyst.call(CONSOLE_API.simulateProgramDraft, {
      params: { id: draft.id },
      body: { ...basket, lines: [basket.lines[0], { sku: 'NOPE', quantity: 1, amount: 100 }] },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ problems: [{ path: 'lines[1].category' }] });
  });

  it('publishes a draft now: it is current, terminals pull it, and the audit names the versions', async () => {
    const draft = (await manager.ok(CONSOLE_API.programDrafts)).drafts.find((d) => d.version === 2)!;
    const terminal = await h.enroll('Till program');
    const published = await manager.ok(CONSOLE_API.publishProgramDraft, {
      params: { id: draft.id },
      body: { reason: 'spring double points' },
    });
    expect(published).toMatchObject({
      status: 'published',
      version: 2,
      requestedBy: manager.session.user.username,
    });
    expect(await currentProgramRef(h.db)).toEqual({ programId: 'test-program', version: 2 });
    const pulled = await h.request({ method: 'GET', url: '/v1/pull/programs', token: terminal.token });
    const docs = pulled.json<{ documents: { version: number; current: boolean }[] }>().documents;
    expect(docs.find((d) => d.current)?.version).toBe(2);

    const { versions } = await analyst.ok(CONSOLE_API.programVersions);
    expect(versions.map((v) => [v.version, v.current, v.publishedBy])).toEqual([
      [2, true, manager.session.user.username],
      [1, false, null],
    ]);
    const [entry] = await auditOf('program.publish');
    expect(entry).toMatchObject({
      actor: manager.session.user.username,
      target: 'program test-program v2',
      reason: 'spring double points',
      outcome: 'done',
      details: { draft: draft.id, version: 2, previousVersion: 1, status: 'published' },
    });
    // Publishing the same draft again: its version is taken now.
    const again = await manager.call(CONSOLE_API.publishProgramDraft, { params: { id: draft.id }, body: {} });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: 'draft-invalid', problems: [{ path: 'version' }] });
  });

  it('publishes at a set time once: not before, once after however often the job runs, and after a restart', async () => {
    const draft = await manager.ok(CONSOLE_API.createProgramDraft, { body: { document: draftOf(3) } });
    const at = new Date(h.clock.now() + 2 * HOUR_MS).toISOString();
    const scheduled = await manager.ok(CONSOLE_API.publishProgramDraft, {
      params: { id: draft.id },
      body: { at },
    });
    expect(scheduled).toMatchObject({ status: 'scheduled', version: 3, publishAt: at });
    // Scheduled: the draft cannot be changed or scheduled twice.
    const replace = await manager.call(CONSOLE_API.replaceProgramDraft, {
      params: { id: draft.id },
      body: { document: draftOf(3) },
    });
    expect(replace.json()).toMatchObject({ error: 'draft-scheduled' });
    const twice = await manager.call(CONSOLE_API.publishProgramDraft, {
      params: { id: draft.id },
      body: { at },
    });
    expect(twice.json()).toMatchObject({ error: 'already-scheduled' });

    expect(await publishDuePrograms(h.db, h.clock)).toEqual([]);
    expect((await currentProgramRef(h.db))?.version).toBe(2);
    await later(2 * HOUR_MS + 1);
    // A second HQ (or one restarted) holds nothing in memory: the row alone says what is due.
    const second = await apiHarness(t.db);
    try {
      second.clock.set(h.clock.now());
      const [done] = await publishDuePrograms(second.db, second.clock);
      expect(done).toMatchObject({ id: scheduled.id, status: 'published', version: 3 });
    } finally {
      await second.close();
    }
    expect(await publishDuePrograms(h.db, h.clock)).toEqual([]);
    expect((await currentProgramRef(h.db))?.version).toBe(3);
    const { rows } = await h.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM programs WHERE program_id = 'test-program' AND version = 3",
    );
    expect(rows[0]?.n).toBe(1);
    const [entry] = await auditOf('program.publish-scheduled');
    expect(entry).toMatchObject({ actor: 'hq', target: 'program test-program v3', outcome: 'done' });
  });

  it('cancels a scheduled publication before it runs, and only then', async () => {
    const draft = await manager.ok(CONSOLE_API.createProgramDraft, { body: { document: draftOf(4) } });
    const at = new Date(h.clock.now() + HOUR_MS).toISOString();
    const scheduled = await manager.ok(CONSOLE_API.publishProgramDraft, {
      params: { id: draft.id },
      body: { at },
    });
    const cancelled = await manager.ok(CONSOLE_API.cancelProgramPublication, {
      params: { id: scheduled.id },
      body: { reason: 'wrong date' },
    });
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelledBy: manager.session.user.username });
    await later(2 * HOUR_MS);
    expect(await publishDuePrograms(h.db, h.clock)).toEqual([]);
    expect((await currentProgramRef(h.db))?.version).toBe(3);
    const again = await manager.call(CONSOLE_API.cancelProgramPublication, {
      params: { id: scheduled.id },
      body: {},
    });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: 'not-scheduled' });
    // Newest first: the refused second cancel, then the cancel.
    const entries = await auditOf('program.publication-cancel');
    expect(entries.slice(0, 2)).toMatchObject([
      { target: `publication ${scheduled.id}`, outcome: 'refused', details: { error: 'not-scheduled' } },
      {
        target: `publication ${scheduled.id}`,
        outcome: 'done',
        reason: 'wrong date',
        details: { version: 4 },
      },
    ]);
    // Cancelled, the draft can be deleted.
    expect(
      (await manager.call(CONSOLE_API.deleteProgramDraft, { params: { id: draft.id }, body: {} })).statusCode,
    ).toBe(200);
  });

  it('marks a due publication failed when its version was taken meanwhile, and publishes nothing', async () => {
    const draft = await manager.ok(CONSOLE_API.createProgramDraft, { body: { document: draftOf(5) } });
    const at = new Date(h.clock.now() + HOUR_MS).toISOString();
    const scheduled = await manager.ok(CONSOLE_API.publishProgramDraft, {
      params: { id: draft.id },
      body: { at },
    });
    await publishProgram(h.db, testProgram({ version: 5 }));
    await later(2 * HOUR_MS);
    const [failed] = await publishDuePrograms(h.db, h.clock);
    expect(failed).toMatchObject({ id: scheduled.id, status: 'failed' });
    expect(failed?.failure).toMatch(/version 5 is already published/);
    const { program } = await analyst.ok(CONSOLE_API.programVersion, {
      params: { programId: 'test-program', version: 5 },
    });
    expect(program.earning).toEqual(testProgram().earning);
  });

  it('polls on a timer: the first poll at once, then every interval', async () => {
    const draft = await manager.ok(CONSOLE_API.createProgramDraft, { body: { document: draftOf(6) } });
    await manager.ok(CONSOLE_API.publishProgramDraft, {
      params: { id: draft.id },
      body: { at: new Date(h.clock.now() + 60_000).toISOString() },
    });
    const armed: { fn: () => void; ms: number }[] = [];
    const timer: Timer = { setTimeout: (fn, ms) => armed.push({ fn, ms }), clearTimeout: () => undefined };
    let published!: (version: number) => void;
    const seen = new Promise<number>((resolve) => (published = resolve));
    const stop = schedulePublications(h.db, h.clock, {
      timer,
      everyMs: 30_000,
      onPublished: (p) => published(p.version),
    });
    expect(armed[0]?.ms).toBe(0);
    h.clock.advance(60_000);
    armed[0]?.fn();
    expect(await seen).toBe(6);
    stop();
  });

  it('is polled by the HQ job schedule that serve starts (scheduleNightlyJobs)', async () => {
    const draft = await manager.ok(CONSOLE_API.createProgramDraft, { body: { document: draftOf(7) } });
    await manager.ok(CONSOLE_API.publishProgramDraft, {
      params: { id: draft.id },
      body: { at: new Date(h.clock.now() + 60_000).toISOString() },
    });
    h.clock.advance(60_000);
    const nightly: Timer = { setTimeout: () => 'nightly', clearTimeout: () => undefined };
    const errors: unknown[] = [];
    const stop = scheduleNightlyJobs(h.db, h.clock, {
      at: '02:30',
      timeZone: 'Europe/Paris',
      timer: nightly,
      deliveries: false,
      onError: (error) => errors.push(error),
    });
    try {
      // The poll's first run is at once: wait for its effect (the condition, not a time).
      while ((await currentProgramRef(h.db))?.version !== 7) {
        expect(errors).toEqual([]);
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } finally {
      stop();
    }
  });
});

// Real concurrency needs real PostgreSQL (PGlite is one connection): two job runs at once.
describe('scheduled publication under two HQ processes on postgres', { timeout: 60_000 }, () => {
  let t: TestDatabase;
  let h: Harness;
  let manager: ConsoleClient;
  beforeAll(async () => {
    t = await postgresDatabase();
    h = await apiHarness(t.db);
    await publishProgram(h.db, v1);
    manager = await signedIn(h.app, h.db, h.clock, 'program-manager');
  });
  afterAll(async () => {
    await h?.close();
    await t?.close();
  });

  it('publishes once when two HQ processes run the job at the same time', async () => {
    const draft = await manager.ok(CONSOLE_API.createProgramDraft, { body: { document: draftOf(7) } });
    const scheduled = await manager.ok(CONSOLE_API.publishProgramDraft, {
      params: { id: draft.id },
      body: { at: new Date(h.clock.now() + 60_000).toISOString() },
    });
    h.clock.advance(120_000);
    // Hold the publication lock, so the first job stops inside its publish with the publication locked.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let holding!: (pid: number) => void;
    const holder = new Promise<number>((resolve) => (holding = resolve));
    const held = h.db.transaction(async (tx) => {
      const { rows } = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      await lockPublications(tx);
      holding(rows[0]!.pid);
      await released;
    });
    const pid = await holder;
    const first = publishDuePrograms(h.db, h.clock);
    // Wait (on the server's lock table, not a timer) until the first job is blocked behind the holder.
    for (;;) {
      const { rows } = await h.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM pg_stat_activity WHERE $1::int = ANY (pg_blocking_pids(pid))',
        [pid],
      );
      if ((rows[0]?.n ?? 0) > 0) break;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    // The second job finds the due publication locked by the first and skips it.
    expect(await publishDuePrograms(h.db, h.clock)).toEqual([]);
    release();
    await held;
    expect((await first).map((p) => [p.id, p.status])).toEqual([[scheduled.id, 'published']]);
    expect(await publishDuePrograms(h.db, h.clock)).toEqual([]);
    const { rows } = await h.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM programs WHERE program_id = 'test-program' AND version = 7",
    );
    expect(rows[0]?.n).toBe(1);
    expect((await currentProgramRef(h.db))?.version).toBe(7);
  });
});
