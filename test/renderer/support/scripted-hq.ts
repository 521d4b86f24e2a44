// A scripted HQ for the renderer's tests (no network, no PGlite): serves what the test put in, stores
// pushes, answers as told, and streams `changed` news to the terminal.
import { afterEach } from 'vitest';
import { err, ok } from '../../../src-shared/kernel/result.js';
import { applyEvent } from '../../../src-shared/ledger/apply-event.js';
import type { LedgerEvent } from '../../../src-shared/ledger/events.js';
import type { Member } from '../../../src-shared/ledger/member.js';
import type { Program } from '../../../src-shared/program/schema.js';
import type { HqError, HqLinkStatus, HqResult, HqStreamMessage } from '../../../src-shared/ipc/hq-api.js';
import type {
  Checkpoint,
  CloseFigures,
  CloseResponse,
  CollectionName,
  PushResponse,
  PushResult,
} from '../../../src-shared/sync/wire.js';
import type { SnapshotPage, SnapshotPosition } from '../../../src-shared/sync/snapshot.js';
import type { PhoneLookupAnswer } from '../../../src-shared/ipc/terminal-api.js';
import { phoneLookupKey } from '../../../src-shared/ledger/phone.js';
import type { TerminalHostApi } from '../../../src-renderer/startup/open-terminal.js';
import { openTestTerminal, type TestTerminal } from '../../support/terminal.js';

/** The terminal the scripted HQ says this is. */
export const TERMINAL = 't-fake';

/** The scripted chain's phone key (HQ's is random; this one is fixed so tests can derive lookups). */
export const FAKE_PHONE_KEY = '5a'.repeat(32);

/** A scripted HQ: serves what the test put in, stores pushes, answers as told. */
export class FakeHq implements TerminalHostApi {
  online = true;
  /** Main's phone lookup, as the host derives it from the credential's phone key. */
  phoneLookupKey = async (normalised: string): Promise<PhoneLookupAnswer> => ({
    ok: true,
    lookupKey: await phoneLookupKey(normalised, FAKE_PHONE_KEY),
  });
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
    this.pulls.push({ collection, after });
    const page = (this.docs.get(collection) ?? []).filter((d) => d.seq > after).slice(0, limit);
    const last = page[page.length - 1];
    return Promise.resolve(
      ok({ documents: page.map((d) => structuredClone(d.doc)), checkpoint: { seq: last?.seq ?? after } }),
    );
  }
  /**
   * The member snapshot, as HQ serves it: the latest document of every live member, in id order, at the
   * checkpoint of the first request (every collection shares one sequence here, as at HQ).
   */
  snapshot(position: SnapshotPosition, limit: number): Promise<HqResult<SnapshotPage>> {
    const down = this.offline<SnapshotPage>();
    if (down) return Promise.resolve(down);
    this.snapshotsAsked.push(position);
    this.snapshots += 1;
    limit = Math.min(limit, this.snapshotPageCap);
    const live = this.liveMembers();
    const after = position.after;
    const from = after === null ? 0 : live.filter((d) => String(d.id) <= after).length;
    const page = live.slice(from, from + limit);
    return Promise.resolve(
      ok({
        documents: page.map((d) => structuredClone(d)),
        checkpoint: position.checkpoint ?? { seq: this.seq },
        last: page.length > 0 ? String(page[page.length - 1]!.id) : after,
        done: from + limit >= live.length,
      }),
    );
  }
  /** The latest document of every member not deleted, in id order. */
  liveMembers(): Record<string, unknown>[] {
    const latest = new Map<string, Record<string, unknown>>();
    for (const { doc } of this.docs.get('members') ?? []) latest.set(String(doc.id), doc);
    return [...latest.values()]
      .filter((d) => d._deleted !== true)
      .sort((a, b) => (String(a.id) < String(b.id) ? -1 : 1));
  }

  /** Snapshot requests answered, and the position of each. */
  snapshots = 0;
  readonly snapshotsAsked: SnapshotPosition[] = [];
  /** At most this many snapshot documents per answer (HQ's relay answers whole blocks). */
  snapshotPageCap = Number.POSITIVE_INFINITY;
  /** Every pull request: collection and checkpoint. */
  readonly pulls: { collection: CollectionName; after: number }[] = [];
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

/**
 * The lifecycle of a till against a scripted HQ: `open(hq)` opens one and waits for its first replication;
 * it is closed after each test. Call it at the top of a file or inside a `describe`.
 */
export function scriptedTill(): { open: (hq: FakeHq) => Promise<TestTerminal> } {
  let till: TestTerminal | null = null;
  afterEach(async () => {
    await till?.close();
    till = null;
  });
  return {
    async open(hq) {
      till = await openTestTerminal({ api: hq, backoff: { initialMs: 10, maxMs: 50 } });
      await till.until((s) => s.initialDone && s.replica !== null);
      return till;
    },
  };
}
