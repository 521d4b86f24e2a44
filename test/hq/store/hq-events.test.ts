// HQ's own events: sealed on the `hq` chain with UUIDv7 ids and the current program version, ingested and
// projected like a terminal's push; an invalid draft stores nothing.
import { describe, expect, it } from 'vitest';
import { appendHqEvents, type HqEventDraft } from '../../../src-hq/store/hq-events.js';
import { InvalidBatchError, pushEvents } from '../../../src-hq/store/ingest.js';
import { getMember } from '../../../src-hq/store/members.js';
import { publishProgram } from '../../../src-hq/store/programs.js';
import { uuidSchemaPattern, uuidv7Time } from '../../../src-shared/kernel/ids.js';
import { verifyChain } from '../../../src-shared/ledger/chain.js';
import { HQ_SOURCE, type LedgerEvent } from '../../../src-shared/ledger/events.js';
import { databases, testDatabase } from '../../support/databases.js';
import { clockAt, publishTestProgram, storeTestProgram, terminalWithFactory, uniq } from './helpers.js';

describe.each(databases)('appendHqEvents on %s', (_name, open) => {
  const clock = clockAt('2025-04-01T01:00:00.000Z');
  const db = testDatabase(open, (db) => publishTestProgram(db));

  const hqEvents = async (): Promise<LedgerEvent[]> =>
    (
      await db.query<{ body: LedgerEvent }>(
        "SELECT body FROM events WHERE terminal_id = 'hq' ORDER BY terminal_seq",
      )
    ).rows.map((r) => r.body);

  it('seals drafts on the hq chain, continuing it across calls, and projects them', async () => {
    const { terminal, f } = await terminalWithFactory(db);
    const m = uniq('m');
    await pushEvents(db, terminal, [f.enrolled(m), f.earned(m, 300)], clock);
    const drafts: HqEventDraft[] = [
      {
        type: 'bonus-awarded',
        memberId: m,
        payload: { kind: 'birthday', points: 25, actionId: null, note: null },
      },
      { type: 'tier-changed', memberId: m, payload: { from: null, to: null, qualifying: 300 } },
    ];
    const results = await appendHqEvents(db, drafts, clock);
    expect(results.map((r) => [r.outcome, r.status, r.memberSeq])).toEqual([
      ['stored', 'posted', 3],
      ['stored', 'posted', 4],
    ]);
    clock.advance(1000);
    const [expired] = await appendHqEvents(
      db,
      [
        {
          type: 'points-expired',
          memberId: m,
          payload: { points: 100, reason: 'inactivity', batches: [] },
          occurredAt: '2025-04-01T00:30:00.000Z',
        },
      ],
      clock,
    );
    expect(expired).toMatchObject({ outcome: 'stored', status: 'posted', memberSeq: 5 });
    expect(await getMember(db, m)).toMatchObject({
      balance: 225,
      memberSeq: 5,
      seen: { [terminal.id]: 2, hq: 3 },
    });

    const chain = await hqEvents();
    expect(verifyChain(chain)).toMatchObject({ ok: true });
    expect(chain.map((e) => [e.terminalId, e.storeId, e.cashierId, e.programVersion])).toEqual(
      chain.map(() => [HQ_SOURCE, HQ_SOURCE, HQ_SOURCE, 1]),
    );
    for (const e of chain) expect(e.id).toMatch(uuidSchemaPattern);
    expect(chain.map((e) => uuidv7Time(e.id))).toEqual([
      Date.parse('2025-04-01T01:00:00.000Z'),
      Date.parse('2025-04-01T01:00:00.000Z'),
      Date.parse('2025-04-01T01:00:01.000Z'),
    ]);
    expect(chain.map((e) => e.occurredAt)).toEqual([
      '2025-04-01T01:00:00.000Z',
      '2025-04-01T01:00:00.000Z',
      '2025-04-01T00:30:00.000Z',
    ]);
  });

  it('names the current program version', async () => {
    const fresh = await open();
    try {
      await publishTestProgram(fresh.db);
      await publishProgram(fresh.db, storeTestProgram({ version: 4 }));
      const { terminal, f } = await terminalWithFactory(fresh.db);
      const m = uniq('m');
      await pushEvents(fresh.db, terminal, [f.enrolled(m)], clock);
      await appendHqEvents(
        fresh.db,
        [
          {
            type: 'plan-joined',
            memberId: m,
            payload: { planId: 'plus', fee: 0, until: '2026-04-01T00:00:00.000Z' },
          },
        ],
        clock,
      );
      const { rows } = await fresh.db.query<{ program_version: number }>(
        "SELECT program_version FROM events WHERE terminal_id = 'hq'",
      );
      expect(rows).toEqual([{ program_version: 4 }]);
    } finally {
      await fresh.close();
    }
  });

  it('stores an event for an unknown member flagged, and refuses an invalid draft whole', async () => {
    const before = (await hqEvents()).length;
    const [unknown] = await appendHqEvents(
      db,
      [
        {
          type: 'bonus-awarded',
          memberId: uniq('nobody'),
          payload: { kind: 'campaign', points: 5, actionId: null, note: null },
        },
      ],
      clock,
    );
    expect(unknown).toMatchObject({ outcome: 'stored', status: 'flagged', memberSeq: null });
    const bad = {
      type: 'bonus-awarded',
      memberId: 'x',
      payload: { kind: 'campaign', points: 0, actionId: null, note: null },
    };
    const error = await appendHqEvents(db, [bad as HqEventDraft], clock).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidBatchError);
    expect((error as InvalidBatchError).problems[0]?.path).toBe('drafts.0.payload.points');
    expect((await hqEvents()).length).toBe(before + 1);
    expect(await appendHqEvents(db, [], clock)).toEqual([]);
  });

  it('types drafts by event type', () => {
    const ok: HqEventDraft = {
      type: 'tier-changed',
      memberId: 'm',
      payload: { from: 'a', to: 'b', qualifying: 1 },
    };
    // @ts-expect-error a tier change has no `points`
    const wrong: HqEventDraft = { type: 'tier-changed', memberId: 'm', payload: { points: 5 } };
    expect([ok.type, wrong.type]).toEqual(['tier-changed', 'tier-changed']);
  });
});
