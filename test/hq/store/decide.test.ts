// Ingest's decisions without a database (src-hq/store/ingest/decide.ts): the loaded state is filled by
// hand as load.ts would fill it (members, program versions, void targets, manager roles, offline totals),
// then classify, checkChain, processNew and replayMember decide what is stored, applied at which figure,
// held, refused and flagged, and which review items open.
import { describe, expect, it } from 'vitest';
import {
  IngestDecisions,
  offlinePeriodKey,
  statusOf,
  type Entry,
  type Head,
  type MemberSlot,
  type StoredRow,
} from '../../../src-hq/store/ingest/decide.js';
import { InvalidBatchError } from '../../../src-hq/store/ingest/validate.js';
import { MAX_POINTS } from '../../../src-shared/kernel/points.js';
import { applyEvent } from '../../../src-shared/ledger/apply-event.js';
import { GENESIS_HASH, type LedgerEvent } from '../../../src-shared/ledger/events.js';
import { emptyMember, type Member } from '../../../src-shared/ledger/member.js';
import { STEP_REWARD, eventFactory, testProgram } from '../../support/events.js';

const program = testProgram({
  bonuses: { welcome: 0, birthday: 0 },
  rewards: [
    STEP_REWARD,
    { id: 'coffee', label: 'Free coffee', kind: 'fixed-discount', cost: 150, amount: 250 },
  ],
  actions: [{ id: 'review', label: 'Review written', points: 15, limit: { count: 1, period: 'lifetime' } }],
  adjustments: { caps: { cashier: 0, manager: 1000 } },
});

/** Decisions with the program loaded, as batch.ts has them before projecting. */
function decisions(): IngestDecisions {
  const d = new IngestDecisions();
  d.programs.set(program.version, program);
  d.current = { programId: program.id, version: program.version };
  return d;
}

const genesis = (): Head => ({ seq: 0, hash: GENESIS_HASH, startSeq: 0 });
const headAfter = (e: LedgerEvent): Head => ({ seq: e.terminalSeq, hash: e.hash, startSeq: e.terminalSeq });

/** A member slot as load.ts fills it: no row, or the member HQ holds after applying `applied` in order. */
function slot(d: IngestDecisions, id: string, applied?: readonly LedgerEvent[]): MemberSlot {
  let member: Member | null = null;
  applied?.forEach((e, i) => {
    member = applyEvent(member, e, program, i + 1);
  });
  const s: MemberSlot = applied
    ? { id, row: 'live', member, lastMemberSeq: applied.length, changed: false }
    : { id, row: 'none', member: null, lastMemberSeq: 0, changed: false };
  d.members.set(id, s);
  return s;
}

/** A push of one source as batch.ts runs it when no member needs re-projecting. */
function push(d: IngestDecisions, sourceId: string, head: Head, events: readonly LedgerEvent[]) {
  const { outcomes, accepted, conflicts } = d.classify(sourceId, events, []);
  const late = d.checkChain(sourceId, head, accepted);
  for (const entry of accepted) d.processNew(d.members.get(entry.event.memberId) as MemberSlot, entry);
  return { outcomes, accepted, conflicts, late };
}

/** A stored event row, as load.ts reads it. */
function stored(event: LedgerEvent, fields: Partial<StoredRow> = {}): StoredRow {
  return {
    id: event.id,
    terminal_id: event.terminalId,
    terminal_seq: event.terminalSeq,
    body: event,
    status: 'posted',
    member_seq: null,
    reason: null,
    applied: false,
    points_delta: 0,
    ruled_points: null,
    voids: event.type === 'event-voided' ? event.payload.original.id : null,
    change_seq: 1,
    ...fields,
  };
}

const kinds = (d: IngestDecisions) => d.reviews.map((r) => [r.kind, r.eventId]);
const entry = (d: IngestDecisions, e: LedgerEvent): Entry => d.entries.get(e.id) as Entry;

describe('IngestDecisions', () => {
  it("applies an over-claimed earn at HQ's figure and holds the rest in a review item", () => {
    const d = decisions();
    const f = eventFactory({ terminalId: 't-1' });
    const enrolled = f.enrolled('m-1');
    const s = slot(d, 'm-1', [enrolled]);
    const fair = f.earned('m-1', 30);
    const greedy = f.earned('m-1', 500, undefined, { eligible: 2_000 });
    const { accepted } = push(d, 't-1', headAfter(enrolled), [fair, greedy]);
    expect(accepted.map((a) => [a.applied, a.memberSeq, a.pointsDelta, a.ruledPoints, statusOf(a)])).toEqual([
      [true, 2, 30, null, 'posted'],
      [true, 3, 20, 20, 'flagged'],
    ]);
    expect(s).toMatchObject({ changed: true, lastMemberSeq: 3, member: { balance: 50, memberSeq: 3 } });
    expect(d.reviews).toEqual([
      {
        kind: 'quote-mismatch',
        memberId: 'm-1',
        terminalId: 't-1',
        eventId: greedy.id,
        details: expect.objectContaining({
          terminalSeq: 3,
          type: 'points-earned',
          quoted: 500,
          computed: 20,
          held: 480,
          applied: 20,
          programVersion: 1,
        }),
      },
    ]);
    expect(accepted[1]?.reasons).toEqual([
      'quoted 500 points, HQ computes 20 under program v1: 20 applied, 480 held',
    ]);
  });

  it('applies a redemption under-claimed at the reward cost, and an adjustment over the cap of the role on file', () => {
    const d = decisions();
    const f = eventFactory({ terminalId: 't-1' });
    const enrolled = f.enrolled('m-1');
    const s = slot(d, 'm-1', [enrolled, f.earned('m-1', 100)]);
    d.managerRoles.set('m-1', 'manager');
    const cheap = f.redeemed('m-1', 1, undefined, { rewardId: 'coffee', quantity: 1 });
    const big = f.adjusted('m-1', 3000);
    const unknown = f.adjusted('m-1', 50, undefined, { managerId: 'who' });
    const action = f.bonus('m-1', 5000, 'action', undefined, { actionId: 'review' });
    push(d, 't-1', headAfter(f.events[1] as LedgerEvent), [cheap, big, unknown, action]);
    expect(
      [cheap, big, unknown, action].map((e) => [entry(d, e).pointsDelta, entry(d, e).ruledPoints]),
    ).toEqual([
      [-150, 150],
      [1000, 1000],
      [0, 0],
      [15, 15],
    ]);
    expect(s.member).toMatchObject({ balance: 965, debt: 0 });
    expect(kinds(d)).toEqual([
      ['reward-mismatch', cheap.id],
      ['overdraft', cheap.id],
      ['adjustment-over-cap', big.id],
      ['adjustment-over-cap', unknown.id],
      ['action-mismatch', action.id],
    ]);
    expect(d.reviews.map((r) => r.details.held)).toEqual([undefined, undefined, 2000, 50, 4985]);
  });

  it('keeps an event of an unknown (or deleted) member waiting, not applied', () => {
    const d = decisions();
    const f = eventFactory({ terminalId: 't-1' });
    const s = slot(d, 'm-1');
    const gone: MemberSlot = { id: 'm-2', row: 'deleted', member: null, lastMemberSeq: 4, changed: false };
    d.members.set('m-2', gone);
    f.enrolled('m-1'); // sealed, not pushed
    const earn = f.earned('m-1', 25);
    const other = f.earned('m-2', 5);
    push(d, 't-1', headAfter(f.events[0] as LedgerEvent), [earn, other]);
    for (const e of [earn, other])
      expect(entry(d, e)).toMatchObject({ applied: false, waiting: true, memberSeq: null, pointsDelta: 0 });
    expect(entry(d, earn).reasons).toEqual([
      'member unknown at HQ: kept, applied once member m-1 is enrolled',
    ]);
    expect(entry(d, other).reasons).toEqual([
      'member unknown at HQ: member m-2 was deleted; kept, not applied',
    ]);
    expect(kinds(d)).toEqual([
      ['unknown-member', earn.id],
      ['unknown-member', other.id],
    ]);
    expect(s).toMatchObject({ member: null, changed: false });
    expect(gone.changed).toBe(false);
  });

  it('refuses a double void (in the batch or already voided at HQ) and reverses the figure the original was applied at', () => {
    const d = decisions();
    const f = eventFactory({ terminalId: 't-1' });
    const enrolled = f.enrolled('m-1');
    const greedy = f.earned('m-1', 500, undefined, { eligible: 2_000 });
    const fair = f.earned('m-1', 30);
    // HQ applied `greedy` at 20 in an earlier batch: the member as stored, and the void target as loaded.
    let member = applyEvent(null, enrolled, program, 1);
    member = applyEvent(member, greedy, program, 2, { points: 20 });
    member = applyEvent(member, fair, program, 3);
    const s: MemberSlot = { id: 'm-1', row: 'live', member, lastMemberSeq: 3, changed: false };
    d.members.set('m-1', s);
    d.originals.set(greedy.id, { event: greedy, applied: true, ruledPoints: 20 });
    d.originals.set(fair.id, { event: fair, applied: true, ruledPoints: null });
    d.voided.add(fair.id); // voided by an earlier batch

    const void1 = f.voided(greedy);
    const void2 = f.voided(greedy);
    const voidFair = f.voided(fair);
    push(d, 't-1', headAfter(fair), [void1, void2, voidFair]);
    expect(entry(d, void1)).toMatchObject({ applied: true, pointsDelta: -20, ruledPoints: 20, memberSeq: 4 });
    for (const [e, seq] of [
      [void2, 5],
      [voidFair, 6],
    ] as const)
      expect(entry(d, e)).toMatchObject({
        applied: false,
        pointsDelta: 0,
        ruledPoints: null,
        memberSeq: seq,
      });
    expect(kinds(d)).toEqual([
      ['double-void', void2.id],
      ['double-void', voidFair.id],
    ]);
    expect(s.member).toMatchObject({ balance: 30, memberSeq: 6, seen: { 't-1': 6 } });
  });

  it('refuses a re-enrollment, keeping the member as it was', () => {
    const d = decisions();
    const f = eventFactory({ terminalId: 't-1' });
    const applied = [f.enrolled('m-1'), f.earned('m-1', 10)];
    const s = slot(d, 'm-1', applied);
    const again = f.enrolled('m-1', { displayName: 'Someone else' });
    push(d, 't-1', headAfter(applied[1] as LedgerEvent), [again]);
    expect(entry(d, again)).toMatchObject({ applied: false, memberSeq: 3, pointsDelta: 0 });
    expect(entry(d, again).reasons[0]).toMatch(/^re-enrollment/);
    expect(kinds(d)).toEqual([['re-enrollment', again.id]]);
    expect(s.member).toMatchObject({ balance: 10, displayName: 'Ada L.', memberSeq: 3 });
  });

  it("keeps a terminal's points-expired and tier-changed without applying them (hq-only)", () => {
    const d = decisions();
    const f = eventFactory({ terminalId: 't-1' });
    const applied = [f.enrolled('m-1'), f.earned('m-1', 40)];
    const s = slot(d, 'm-1', applied);
    const expired = f.expired('m-1', 40, [], 'inactivity');
    const tier = f.tierChanged('m-1', null, 'gold');
    push(d, 't-1', headAfter(applied[1] as LedgerEvent), [expired, tier]);
    for (const e of [expired, tier]) expect(entry(d, e)).toMatchObject({ applied: false, pointsDelta: 0 });
    expect(kinds(d)).toEqual([
      ['hq-only', expired.id],
      ['hq-only', tier.id],
    ]);
    expect(s.member).toMatchObject({ balance: 40, tier: null, memberSeq: 4 });
  });

  it('flags a gap and a chain break, moves the head, and returns a late event', () => {
    const d = decisions();
    const f = eventFactory({ terminalId: 't-1' });
    const [e1, e2, e3, e4] = [f.enrolled('m-1'), f.earned('m-1', 1), f.earned('m-1', 2), f.earned('m-1', 3)];
    slot(d, 'm-1');
    const head = genesis();
    const { accepted } = d.classify('t-1', [e4, e1, e2], []);
    expect(accepted.map((a) => a.event.terminalSeq)).toEqual([1, 2, 4]);
    expect(d.checkChain('t-1', head, accepted)).toEqual([]);
    expect(head).toEqual({ seq: 4, hash: e4.hash, startSeq: 0 });
    expect(d.reviews).toEqual([
      expect.objectContaining({
        kind: 'gap',
        eventId: e4.id,
        details: expect.objectContaining({ from: 3, to: 3, reason: 'gap: event 3 missing' }),
      }),
    ]);
    expect(statusOf(entry(d, e4))).toBe('flagged');

    // The missing event arrives: late, checked against its neighbours.
    const late = d.classify('t-1', [e3], []).accepted;
    expect(d.checkChain('t-1', head, late)).toEqual(late);
    expect(d.lateTerminals.has('t-1')).toBe(true);
    d.checkLate(
      late,
      late,
      new Map([
        [2, { hash: e2.hash, prevHash: e2.prevHash }],
        [4, { hash: e4.hash, prevHash: e4.prevHash }],
      ]),
    );
    expect(d.reviews).toHaveLength(1);

    // An event that does not follow the head.
    const g = eventFactory({ terminalId: 't-2' });
    const first = g.enrolled('m-2');
    const broken = { ...g.earned('m-2', 5), prevHash: 'f'.repeat(64) };
    const h2 = genesis();
    const chain = d.classify('t-2', [first, broken], []).accepted;
    d.checkChain('t-2', h2, chain);
    expect(kinds(d).slice(1)).toEqual([['chain-break', broken.id]]);
    expect(h2.seq).toBe(2);
  });

  it('classifies re-pushes as duplicates and other content under a used id or seq as conflicts', () => {
    const d = decisions();
    const f = eventFactory({ terminalId: 't-1' });
    const [e1, e2] = [f.enrolled('m-1'), f.earned('m-1', 10)];
    const forged = { ...e2, payload: { ...e2.payload, points: 1000 } };
    const impostor = eventFactory({ terminalId: 't-1', idPrefix: 'abcdef01' }).enrolled('m-9');
    const e3 = f.earned('m-1', 3);
    const rows = [stored(e1, { member_seq: 1, applied: true }), stored(e2, { member_seq: 2, applied: true })];
    const { outcomes, accepted, conflicts } = d.classify('t-1', [e1, forged, impostor, e3, e3], rows);
    expect(outcomes.map((o) => o?.kind)).toEqual(['stored', undefined, undefined, 'entry', 'twin']);
    expect(accepted.map((a) => a.event.id)).toEqual([e3.id]);
    // In terminalSeq order: the impostor (seq 1) first.
    expect(conflicts.map((c) => [c.index, c.reason])).toEqual([
      [2, `conflict: terminalSeq 1 already holds event ${e1.id}; this event is quarantined`],
      [1, `conflict: event ${e2.id} was already received with different content; this copy is quarantined`],
    ]);
    d.quarantine(conflicts, outcomes, new Set([`${impostor.id} ${conflicts[0]?.canonical}`]));
    expect(outcomes.map((o) => o?.kind)).toEqual(['stored', 'conflict', 'conflict', 'entry', 'twin']);
    // The impostor was quarantined by an earlier push: kept once, no second item.
    expect(d.quarantined.map((q) => q.eventId)).toEqual([e2.id]);
    expect(kinds(d)).toEqual([['conflict', e2.id]]);
  });

  it('opens one offline-bound item past allowance + override cap, counting what was stored already', () => {
    const d = decisions();
    const f = eventFactory({ terminalId: 't-1' });
    const applied = [f.enrolled('m-1'), f.earned('m-1', 2000)];
    slot(d, 'm-1', applied);
    const since = '2025-03-03T08:00:00.000Z';
    d.offlineSpent.set(offlinePeriodKey('t-1', 'm-1', since), 600); // limit 500 + 200 = 700
    const offline = (cost: number) =>
      f.redeemed('m-1', cost, undefined, { mode: 'offline', offlinePeriod: { since, allowance: 900 } });
    const [a, b, c] = [offline(100), offline(1), offline(50)];
    push(d, 't-1', headAfter(applied[1] as LedgerEvent), [a, b, c]);
    expect([a, b, c].map((e) => entry(d, e).applied)).toEqual([true, true, true]);
    expect(d.reviews).toEqual([
      expect.objectContaining({
        kind: 'offline-bound',
        eventId: b.id,
        details: expect.objectContaining({ since, allowance: 900, limit: 700, total: 701 }),
      }),
    ]);
    expect(d.offlineSpent.get(offlinePeriodKey('t-1', 'm-1', since))).toBe(751);
  });

  it('refuses a new event that would take a balance past the bound as a bad batch naming it', () => {
    const d = decisions();
    const f = eventFactory({ terminalId: 't-1' });
    const hq = eventFactory({ terminalId: 'hq', storeId: 'hq' });
    const enrolled = f.enrolled('m-1');
    slot(d, 'm-1', [enrolled, hq.adjusted('m-1', MAX_POINTS - 10)]);
    const fine = f.earned('m-1', 10);
    const past = f.earned('m-1', 1);
    const { accepted } = d.classify('t-1', [fine, past], []);
    d.checkChain('t-1', headAfter(enrolled), accepted);
    d.processNew(d.members.get('m-1') as MemberSlot, accepted[0] as Entry);
    let error: unknown;
    try {
      d.processNew(d.members.get('m-1') as MemberSlot, accepted[1] as Entry);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidBatchError);
    expect((error as InvalidBatchError).problems).toEqual([
      { path: 'events.1', message: expect.stringMatching(/^cannot apply: .*beyond 1000000000 points/) },
    ]);
  });

  it('replays a member with the late enrollment first, applying the events that waited for it', () => {
    const d = decisions();
    const a = eventFactory({ terminalId: 't-a' });
    const b = eventFactory({ terminalId: 't-b' });
    const earn = a.earned('m-1', 25);
    const s = slot(d, 'm-1');
    const waitingRow = stored(earn, {
      status: 'flagged',
      reason: 'member unknown at HQ: kept, applied once member m-1 is enrolled',
    });
    const enrolled = b.enrolled('m-1');
    const { accepted } = d.classify('t-b', [enrolled], []);
    d.checkChain('t-b', genesis(), accepted);
    d.replayMember(s, [waitingRow], accepted);
    expect(entry(d, enrolled)).toMatchObject({ applied: true, memberSeq: 1 });
    expect(entry(d, earn)).toMatchObject({
      applied: true,
      waiting: false,
      dirty: true,
      memberSeq: 2,
      pointsDelta: 25,
      reasons: ['applied once the member was enrolled'],
    });
    expect(d.appliedLate.has(earn.id)).toBe(true);
    expect(s.member).toMatchObject({ balance: 25, memberSeq: 2, seen: { 't-a': 1, 't-b': 1 } });
    expect(d.reviews).toEqual([]);
  });

  it('refuses on replay an event its own terminal sealed before it enrolled the member', () => {
    const d = decisions();
    const f = eventFactory({ terminalId: 't-1' });
    const early = f.earned('m-1', 25); // terminalSeq 1
    const enrolled = f.enrolled('m-1'); // terminalSeq 2
    const later = f.earned('m-1', 5); // terminalSeq 3
    const s = slot(d, 'm-1');
    const waitingRow = stored(early, {
      status: 'flagged',
      reason: 'member unknown at HQ: kept, applied once member m-1 is enrolled',
    });
    const { accepted } = d.classify('t-1', [enrolled, later], []);
    d.checkChain('t-1', headAfter(early), accepted);
    d.replayMember(s, [waitingRow], accepted);
    expect(entry(d, enrolled)).toMatchObject({ applied: true, memberSeq: 1 });
    expect(entry(d, early)).toMatchObject({ applied: false, waiting: false, dirty: true, pointsDelta: 0 });
    expect(entry(d, early).reasons.at(-1)).toBe(
      'sealed before its terminal enrolled member m-1; kept, not applied',
    );
    expect(entry(d, later)).toMatchObject({ applied: true, pointsDelta: 5 });
    expect(kinds(d)).toEqual([['before-enrollment', early.id]]);
    expect(s.member).toMatchObject({ balance: 5 });
    expect(s.member?.memberSeq).toBe(s.lastMemberSeq);
  });

  it('replays settled events at the figure HQ ruled for them', () => {
    const d = decisions();
    const f = eventFactory({ terminalId: 't-1' });
    const enrolled = f.enrolled('m-1');
    const greedy = f.earned('m-1', 500, undefined, { eligible: 2_000 });
    const gapFill = f.earned('m-1', 7); // seq 3, arrives late
    const after = f.earned('m-1', 3); // seq 4
    let member: Member = applyEvent(null, enrolled, program, 1);
    member = applyEvent(member, greedy, program, 2, { points: 20 });
    member = applyEvent(member, after, program, 3);
    const s: MemberSlot = { id: 'm-1', row: 'live', member, lastMemberSeq: 3, changed: false };
    d.members.set('m-1', s);
    const history = [
      stored(enrolled, { member_seq: 1, applied: true }),
      stored(greedy, { member_seq: 2, applied: true, status: 'flagged', points_delta: 20, ruled_points: 20 }),
      stored(after, { member_seq: 3, applied: true, points_delta: 3 }),
    ];
    const { accepted } = d.classify('t-1', [gapFill], []);
    d.checkChain('t-1', headAfter(after), accepted);
    expect(d.slowMembers(accepted).slow).toEqual(new Set(['m-1']));
    d.replayMember(s, history, accepted);
    expect(entry(d, gapFill)).toMatchObject({ applied: true, pointsDelta: 7, memberSeq: 4 });
    expect(entry(d, greedy)).toMatchObject({ pointsDelta: 20, dirty: false });
    expect(s.member).toMatchObject({ balance: 30, memberSeq: 4 });
    expect(s.member?.seen).toEqual({ 't-1': 4 });
    expect(d.reviews).toEqual([]);
  });

  it('judges a claim against the member as HQ holds it: a closed member gets no action bonus', () => {
    const d = decisions();
    const f = eventFactory({ terminalId: 't-1' });
    const closed: Member = { ...emptyMember('m-1', '2025-03-01T00:00:00.000Z'), status: 'closed' };
    const s: MemberSlot = { id: 'm-1', row: 'live', member: closed, lastMemberSeq: 7, changed: false };
    d.members.set('m-1', s);
    const bonus = f.bonus('m-1', 15, 'action', undefined, { actionId: 'review' });
    d.classify('t-1', [bonus], []);
    d.processNew(s, entry(d, bonus));
    expect(entry(d, bonus)).toMatchObject({ applied: true, memberSeq: 8, pointsDelta: 0, ruledPoints: 0 });
    expect(d.reviews).toEqual([
      expect.objectContaining({
        kind: 'bonus-not-allowed',
        details: expect.objectContaining({ refusal: 'member-inactive', held: 15, applied: 0 }),
      }),
    ]);
    expect(s.member).toMatchObject({ balance: 0, actions: {} });
  });
});
