// The terminal's local side against a scripted HQ (no network, no PGlite): HQ's verdicts merged into the
// ledger (conflicts surfaced, never merged), a batch HQ refuses split down to the bad event, lookups by card,
// phone and name over provisional and pulled members, the once-per-process databases, the schema migration
// mechanism, the retry gate and the close schedule's clock arithmetic.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { addRxPlugin, createRxDatabase, type RxCollection } from 'rxdb';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { wrappedValidateZSchemaStorage } from 'rxdb/plugins/validate-z-schema';
import { afterEach, describe, expect, it } from 'vitest';
import { dayClosedAt, nextLocalTime } from '../../../src-renderer/db/close.js';
import { openDatabases } from '../../../src-renderer/db/databases.js';
import { HqGate } from '../../../src-renderer/db/gate.js';
import {
  eventConflictHandler,
  localEventRow,
  mergeHqVerdict,
  nameKey,
} from '../../../src-renderer/db/rows.js';
import { eventRowSchema, type EventRow } from '../../../src-renderer/db/schemas.js';
import { usedOfflinePoints } from '../../../src-renderer/db/services.js';
import { openTerminal } from '../../../src-renderer/db/terminal.js';
import type {
  HqApi,
  HqError,
  HqLinkStatus,
  HqResult,
  HqStreamMessage,
} from '../../../src-shared/ipc/hq-api.js';
import { ManualClock } from '../../../src-shared/kernel/clock.js';
import { err, ok } from '../../../src-shared/kernel/result.js';
import { applyEvent } from '../../../src-shared/ledger/apply-event.js';
import { sealEvent } from '../../../src-shared/ledger/chain.js';
import type { LedgerEvent } from '../../../src-shared/ledger/events.js';
import type { Member } from '../../../src-shared/ledger/member.js';
import type { Program } from '../../../src-shared/program/schema.js';
import type {
  Checkpoint,
  CloseFigures,
  CloseResponse,
  CollectionName,
  PushResponse,
  PushResult,
} from '../../../src-shared/sync/wire.js';
import { eventFactory } from '../../support/events.js';
import { exampleProgram } from '../../support/hq.js';
import {
  TEST_CASHIER as CASHIER,
  breadBasket as basket,
  ManualTimers,
  openTestTerminal,
  type TestTerminal,
} from '../../support/terminal.js';

const TERMINAL = 't-fake';

/** A scripted HQ: serves what the test put in, stores pushes, answers as told. */
class FakeHq implements HqApi {
  online = true;
  readonly pushes: LedgerEvent[][] = [];
  /** Decides a push; default: every event stored and posted. */
  onPush: (events: LedgerEvent[]) => HqResult<PushResponse> = (events) =>
    ok({ results: events.map((e) => this.store(e)) });
  private seq = 0;
  private readonly docs = new Map<CollectionName, { seq: number; doc: Record<string, unknown> }[]>();
  private readonly listeners = new Set<(m: HqStreamMessage) => void>();
  readonly stored = new Map<string, { event: LedgerEvent; memberSeq: number }>();
  private readonly memberSeqs = new Map<string, number>();

  constructor(readonly program: Program) {
    this.put('programs', {
      id: `${program.id}@${program.version}`,
      programId: program.id,
      version: program.version,
      publishedAt: '2025-01-01T00:00:00.000Z',
      current: true,
      definition: program,
      _deleted: false,
    });
    this.put('cashiers', {
      id: 'mgr-1',
      storeId: 's-1',
      name: 'Mia K.',
      role: 'manager',
      pinHash: 'scrypt$16$8$1$c2FsdA==$a2V5',
      _deleted: false,
    });
  }

  put(collection: CollectionName, doc: Record<string, unknown>): void {
    const list = this.docs.get(collection) ?? [];
    list.push({ seq: ++this.seq, doc });
    this.docs.set(collection, list);
    this.emit({ type: 'changed', collections: [collection] });
  }

  emit(message: HqStreamMessage): void {
    for (const l of this.listeners) l(message);
  }

  store(event: LedgerEvent): PushResult {
    const known = this.stored.get(event.id);
    if (known)
      return known.event.hash === event.hash
        ? { id: event.id, outcome: 'duplicate', status: 'posted', memberSeq: known.memberSeq, reason: null }
        : {
            id: event.id,
            outcome: 'conflict',
            status: 'quarantined',
            memberSeq: null,
            reason: 'other content',
          };
    const memberSeq = (this.memberSeqs.get(event.memberId) ?? 0) + 1;
    this.memberSeqs.set(event.memberId, memberSeq);
    this.stored.set(event.id, { event, memberSeq });
    return { id: event.id, outcome: 'stored', status: 'posted', memberSeq, reason: null };
  }

  /** Publishes each member as HQ would project it from the events stored so far. */
  publishMembers(): void {
    const members = new Map<string, Member>();
    const ordered = [...this.stored.values()].sort((a, b) => a.event.terminalSeq - b.event.terminalSeq);
    for (const { event, memberSeq } of ordered)
      members.set(
        event.memberId,
        applyEvent(members.get(event.memberId) ?? null, event, this.program, memberSeq),
      );
    for (const m of members.values()) this.put('members', { ...m, _deleted: false });
  }

  private offline<T>(): HqResult<T> | null {
    return this.online ? null : err<HqError>({ code: 'offline', message: 'HQ unreachable' });
  }

  hqStatus(): Promise<HqLinkStatus> {
    return Promise.resolve({
      enrolled: true,
      terminalId: TERMINAL,
      storeId: 's-1',
      online: this.online,
      lastContactAt: null,
      lastError: null,
    });
  }
  enroll(): Promise<HqResult<{ terminalId: string; storeId: string }>> {
    return Promise.resolve(ok({ terminalId: TERMINAL, storeId: 's-1' }));
  }
  replicationKey(): Promise<string> {
    return Promise.resolve('f'.repeat(64));
  }
  pull(collection: CollectionName, checkpoint: Checkpoint | null, limit: number) {
    const down = this.offline<{ documents: unknown[]; checkpoint: Checkpoint }>();
    if (down) return Promise.resolve(down);
    const after = checkpoint?.seq ?? 0;
    const page = (this.docs.get(collection) ?? []).filter((d) => d.seq > after).slice(0, limit);
    const last = page[page.length - 1];
    return Promise.resolve(
      ok({ documents: page.map((d) => structuredClone(d.doc)), checkpoint: { seq: last?.seq ?? after } }),
    );
  }
  push(events: LedgerEvent[]): Promise<HqResult<PushResponse>> {
    const down = this.offline<PushResponse>();
    if (down) return Promise.resolve(down);
    this.pushes.push(events);
    return Promise.resolve(this.onPush(events));
  }
  close(figures: CloseFigures): Promise<HqResult<CloseResponse>> {
    return Promise.resolve(ok({ status: 'match', hq: figures, differences: [], missing: [] }));
  }
  lookup(): Promise<HqResult<never[]>> {
    return Promise.resolve(ok([]));
  }
  onHqStream(listener: (message: HqStreamMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

describe('the terminal against a scripted HQ', () => {
  let till: TestTerminal | null = null;
  afterEach(async () => {
    await till?.close();
    till = null;
  });

  async function open(hq: FakeHq): Promise<TestTerminal> {
    till = await openTestTerminal({ api: hq, backoff: { initialMs: 10, maxMs: 50 } });
    await till.until((s) => s.initialDone && s.replica !== null);
    return till;
  }

  async function enroll(
    t: TestTerminal,
    name = 'Ann B.',
    card = '0400000000017',
    phone: string | null = null,
  ) {
    const r = await t.terminal.services.recordEnroll({
      cashierId: CASHIER,
      displayName: name,
      cards: [card],
      phone,
    });
    if (!r.ok) throw new Error(r.error.message);
    return r.value.event;
  }

  it('surfaces a conflict HQ reports for a push, keeps the local content, and leaves it out of the balance', async () => {
    const hq = new FakeHq(exampleProgram('grocery-chain'));
    const t = await open(hq);
    const enrolled = await enroll(t);
    await t.untilEvent(enrolled.id);
    hq.onPush = (events) =>
      ok({
        results: events.map((e) => ({
          id: e.id,
          outcome: 'conflict' as const,
          status: 'quarantined' as const,
          memberSeq: null,
          reason: 'HQ holds event 2 with other content',
        })),
      });
    const earned = await t.terminal.services.recordEarn({
      cashierId: CASHIER,
      memberId: enrolled.memberId,
      basket: basket(50),
    });
    if (!earned.ok) throw new Error(earned.error.message);
    const row = await t.untilEvent(earned.value.event.id);
    expect(row).toMatchObject({ status: 'conflict', reason: 'HQ holds event 2 with other content' });
    expect(row.event).toEqual(earned.value.event);
    const status = await t.until((s) => s.attention.length === 1);
    expect(status.attention[0]).toMatchObject({ id: row.id, status: 'conflict', terminalSeq: 2 });
    expect((await t.terminal.services.member(enrolled.memberId))?.balance.total).toBe(100);
    // Never sent again.
    const pushes = hq.pushes.length;
    await t.terminal.sync.flush();
    expect(hq.pushes.length).toBe(pushes);
  });

  it('keeps the local content when a pulled own event differs from it', async () => {
    const hq = new FakeHq(exampleProgram('grocery-chain'));
    const t = await open(hq);
    const enrolled = await enroll(t);
    await t.untilEvent(enrolled.id);
    const altered = sealEvent({ ...enrolled, payload: { ...enrolled.payload, welcomeBonus: 5_000 } }, null);
    hq.put('events', {
      id: enrolled.id,
      event: altered,
      memberSeq: 1,
      status: 'posted',
      reason: null,
      recordedAt: '2025-01-01T00:00:00.000Z',
      _deleted: false,
    });
    const row = await t.untilEvent(enrolled.id, (r) => r.status === 'conflict');
    expect(row.event).toEqual(enrolled);
    expect(row.reason).toMatch(/other content/);
  });

  it('splits a batch HQ refuses until the bad event is alone, and rejects only that one', async () => {
    const hq = new FakeHq(exampleProgram('grocery-chain'));
    const t = await open(hq);
    hq.online = false;
    const enrolled = await enroll(t);
    const earns: string[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await t.terminal.services.recordEarn({
        cashierId: CASHIER,
        memberId: enrolled.memberId,
        basket: basket(10 + i),
      });
      if (!r.ok) throw new Error(r.error.message);
      earns.push(r.value.event.id);
    }
    const bad = earns[3] as string;
    hq.onPush = (events) =>
      events.some((e) => e.id === bad)
        ? err({
            code: 'rejected',
            message: 'The batch was refused',
            problems: [{ path: 'events.0.payload', message: 'no' }],
          })
        : ok({ results: events.map((e) => hq.store(e)) });
    hq.online = true;
    t.terminal.sync.syncNow();
    const rejected = await t.untilEvent(bad);
    expect(rejected).toMatchObject({
      status: 'rejected',
      reason: 'The batch was refused (events.0.payload: no)',
    });
    await t.until((s) => s.pending === 0 && s.attention.length === 1);
    expect(hq.stored.size).toBe(6);
    expect(hq.pushes.at(-1)).toHaveLength(1);

    await t.restart();
    await t.terminal.sync.flush();
    expect(hq.stored.size).toBe(6);
  });

  it('finds members by card, phone and name, enrolled here or pulled from HQ', async () => {
    const hq = new FakeHq(exampleProgram('grocery-chain'));
    const t = await open(hq);
    hq.online = false;
    const { services } = t.terminal;
    const ann = await enroll(t, 'Ánn B.', '0400000000017', '087 123 4567');
    await enroll(t, 'Anna C.', '0400000000024');
    await enroll(t, 'Bob D.', '0400000000031');

    const byCard = await services.lookupByCard('0400000000017');
    expect(byCard).toMatchObject({ provisional: true, hq: null, member: { id: ann.memberId } });
    expect(byCard?.balance).toEqual({ confirmed: 0, pending: 100, total: 100 });
    const byPhone = await services.lookupByPhone('+353 87 123 4567');
    expect(byPhone.ok && byPhone.value.map((m) => m.member.id)).toEqual([ann.memberId]);
    expect((await services.lookupByPhone('not a number')).ok).toBe(false);
    expect((await services.lookupByName('ann')).map((m) => m.member.displayName)).toEqual([
      'Ánn B.',
      'Anna C.',
    ]);
    expect((await services.lookupByName('ANNA')).map((m) => m.member.displayName)).toEqual(['Anna C.']);

    // A card belongs to one member; moving it follows the member's own events.
    const taken = await services.recordUpdate({
      cashierId: CASHIER,
      memberId: ann.memberId,
      addCards: ['0400000000031'],
    });
    expect(!taken.ok && taken.error.reason).toBe('card-in-use');
    const moved = await services.recordUpdate({
      cashierId: CASHIER,
      memberId: ann.memberId,
      addCards: ['0400000000048'],
      removeCards: ['0400000000017'],
    });
    expect(moved.ok).toBe(true);
    expect(await services.lookupByCard('0400000000017')).toBeNull();
    expect((await services.lookupByCard('0400000000048'))?.member.id).toBe(ann.memberId);

    // HQ's documents replace the provisional ones; the balance is then confirmed.
    hq.online = true;
    t.terminal.sync.syncNow();
    await t.terminal.sync.flush();
    hq.publishMembers();
    await t.terminal.sync.flush();
    const pulled = await services.lookupByCard('0400000000048');
    expect(pulled).toMatchObject({ provisional: false, pendingEvents: 0 });
    expect(pulled?.balance).toEqual({ confirmed: 100, pending: 0, total: 100 });
    expect(await services.lookupByCard('0400000000017')).toBeNull();
  });

  it('repairs the card index and provisional members on restart', async () => {
    const hq = new FakeHq(exampleProgram('grocery-chain'));
    const t = await open(hq);
    hq.online = false;
    const ann = await enroll(t, 'Ann B.', '0400000000017');
    // As if the process died between the event's commit and the catalog writes.
    await (await t.terminal.databases.catalog.cards.findOne('0400000000017').exec())?.remove();
    await (await t.terminal.databases.catalog.members.findOne(ann.memberId).exec())?.remove();
    expect(await t.terminal.services.lookupByCard('0400000000017')).toBeNull();
    await t.restart();
    expect((await t.terminal.services.lookupByCard('0400000000017'))?.member.id).toBe(ann.memberId);
  });

  it('opens the databases once per process: a second caller (StrictMode) gets the same ones', async () => {
    const hq = new FakeHq(exampleProgram('grocery-chain'));
    const indexedDB = new IDBFactory();
    // dev: true because dev mode, once loaded in a process (the other tests), applies to every database.
    const options = {
      api: hq,
      name: 'strict-mode',
      phoneCountryCode: '353',
      indexedDB,
      IDBKeyRange,
      dev: true,
    };
    const [a, b] = await Promise.all([openTerminal(options), openTerminal(options)]);
    expect(a).toBe(b);
    expect(Object.keys(a.databases.ledger.collections)).toEqual(['events']);
    expect(Object.keys(a.databases.catalog.collections).sort()).toEqual(
      ['cards', 'cashiers', 'members', 'products', 'programs'].sort(),
    );
    expect(await openDatabases({ name: 'strict-mode' })).toBe(a.databases);
    await a.close();
    const reopened = await openTerminal(options);
    expect(reopened).not.toBe(a);
    await reopened.close();
  });
});

describe('schema versions', () => {
  const dbs: { close(): Promise<unknown> }[] = [];
  afterEach(async () => {
    for (const db of dbs.splice(0)) await db.close();
  });

  it('migrates stored events to a new schema version with the strategy for it (the v1 mechanism)', async () => {
    const indexedDB = new IDBFactory();
    const storage = wrappedValidateZSchemaStorage({ storage: getRxStorageDexie({ indexedDB, IDBKeyRange }) });
    addRxPlugin(RxDBMigrationSchemaPlugin);
    const event = eventFactory({ terminalId: 't-m' }).enrolled('m-1');
    const row: EventRow = localEventRow(event);
    const v0 = await createRxDatabase<{ events: RxCollection<EventRow> }>({
      name: 'migrate',
      storage,
      multiInstance: false,
    });
    dbs.push(v0);
    await v0.addCollections({ events: { schema: eventRowSchema } });
    await v0.events.insert(row);
    await v0.close();

    const v1 = await createRxDatabase<{ events: RxCollection<EventRow & { source: string }> }>({
      name: 'migrate',
      storage,
      multiInstance: false,
    });
    dbs.push(v1);
    await v1.addCollections({
      events: {
        schema: {
          ...eventRowSchema,
          version: 1,
          properties: { ...eventRowSchema.properties, source: { type: 'string' } },
        } as never,
        migrationStrategies: { 1: (old: EventRow) => ({ ...old, source: 'terminal' }) },
      },
    });
    const migrated = await v1.events.findOne(event.id).exec();
    expect(migrated?.toJSON()).toMatchObject({ id: event.id, source: 'terminal', event });
  });
});

describe('pure parts', () => {
  it('backs off, doubling up to the maximum, and lets waiters go when woken', async () => {
    const clock = new ManualClock(0);
    const timers = new ManualTimers(() => clock.now());
    const gate = new HqGate(timers, { initialMs: 100, maxMs: 300 });
    await gate.ready();
    gate.failed();
    expect(timers.dueTimes()).toEqual([100]);
    let released = false;
    const waiting = gate.ready().then(() => (released = true));
    clock.set(100);
    timers.fire();
    await waiting;
    expect(released).toBe(true);
    gate.failed();
    expect(timers.dueTimes()).toEqual([300]);
    const woken = gate.ready();
    gate.wake();
    await woken;
    gate.failed();
    expect(timers.dueTimes()).toEqual([400]);
    gate.succeeded();
    gate.failed();
    expect(timers.dueTimes()).toEqual([200]);
  });

  it('plans the nightly close in the store zone, across daylight-saving changes', () => {
    const at = (iso: string) => Date.parse(iso);
    expect(nextLocalTime(at('2025-03-03T12:00:00Z'), '23:30', 'Europe/Dublin')).toBe(
      at('2025-03-03T23:30:00Z'),
    );
    expect(nextLocalTime(at('2025-03-03T23:30:00Z'), '23:30', 'Europe/Dublin')).toBe(
      at('2025-03-04T23:30:00Z'),
    );
    // Summer time (UTC+1) from 30 March 01:00 UTC.
    expect(nextLocalTime(at('2025-03-29T12:00:00Z'), '23:30', 'Europe/Dublin')).toBe(
      at('2025-03-29T23:30:00Z'),
    );
    expect(nextLocalTime(at('2025-03-30T12:00:00Z'), '23:30', 'Europe/Dublin')).toBe(
      at('2025-03-30T22:30:00Z'),
    );
    // 01:30 does not exist on 30 March: the first minute after the jump (02:00 local).
    expect(nextLocalTime(at('2025-03-29T23:00:00Z'), '01:30', 'Europe/Dublin')).toBe(
      at('2025-03-30T01:00:00Z'),
    );
    expect(dayClosedAt(at('2025-03-03T23:30:00Z'), '23:30', 'Europe/Dublin')).toBe('2025-03-03');
    expect(dayClosedAt(at('2025-03-04T02:00:00Z'), '02:00', 'Europe/Dublin')).toBe('2025-03-03');
  });

  it('merges HQ verdicts: status wins, content never changes, a different content is a conflict', () => {
    const f = eventFactory({ terminalId: TERMINAL });
    const e = f.enrolled('m-1');
    const local = {
      ...mergeHqVerdict(undefined, {
        event: e,
        status: 'posted',
        memberSeq: 1,
        reason: null,
        recordedAt: null,
      }),
      status: 'local' as const,
      memberSeq: null,
    };
    const posted = mergeHqVerdict(local, {
      event: e,
      status: 'flagged',
      memberSeq: 1,
      reason: 'gap',
      recordedAt: '2025-01-01T00:00:00.000Z',
    });
    expect(posted).toMatchObject({ status: 'flagged', memberSeq: 1, reason: 'gap', event: e });
    const other = sealEvent({ ...e, payload: { ...e.payload, welcomeBonus: 9 } }, null);
    const conflict = mergeHqVerdict(local, {
      event: other,
      status: 'posted',
      memberSeq: 1,
      reason: null,
      recordedAt: null,
    });
    expect(conflict).toMatchObject({ status: 'conflict', memberSeq: null, event: e });
    expect(eventConflictHandler.isEqual(local, { ...local }, '')).toBe(true);
    expect(eventConflictHandler.isEqual(local, posted, '')).toBe(false);
    const deleted = { ...local, _deleted: true };
    expect(
      mergeHqVerdict(deleted, { event: e, status: 'posted', memberSeq: 1, reason: null, recordedAt: null }),
    ).toMatchObject({ _deleted: true });
  });

  it("counts this terminal's offline redemptions HQ has not counted yet", () => {
    const f = eventFactory({ terminalId: TERMINAL });
    const enrolled = f.enrolled('m-1', { welcomeBonus: 1_000 });
    const offline = f.redeemed('m-1', 300, undefined, { mode: 'offline' });
    const online = f.redeemed('m-1', 200, undefined, { mode: 'online' });
    const later = f.redeemed('m-1', 100, undefined, { mode: 'offline' });
    const program = exampleProgram('grocery-chain');
    let hq = applyEvent(null, enrolled, program, 1);
    hq = applyEvent(hq, offline, program, 2);
    const events = [
      { event: enrolled, memberSeq: 1 },
      { event: offline, memberSeq: 2 },
      { event: online, memberSeq: null },
      { event: later, memberSeq: null },
    ];
    expect(usedOfflinePoints(hq, events)).toBe(100);
    expect(usedOfflinePoints(null, events)).toBe(400);
  });

  it('keys names for prefix search without case or accents', () => {
    expect(nameKey("  Zoë  O'Néil ")).toBe('zoe oneil');
    expect(nameKey('ÁNN')).toBe('ann');
  });
});
