// Conversions between HQ's wire documents, the rows stored in RxDB, and the domain types; and the events
// collection's conflict handler (HQ's verdict wins, the event's content never changes).
import type { RxConflictHandler, WithDeleted } from 'rxdb';
import type { LedgerEvent } from '../../src-shared/ledger/events.js';
import { emptyMember, type Member } from '../../src-shared/ledger/member.js';
import type { LocalEvent } from '../../src-shared/ledger/pending.js';
import type { EventDoc, MemberDoc, ProductDoc } from '../../src-shared/sync/wire.js';
import type { EventRow, EventSyncStatus, MemberRow, ProductRow } from './schemas.js';

/** Lower-case, accents and punctuation dropped, spaces collapsed: `Zoë O'Neil` → `zoe oneil`. */
export function nameKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 40);
}

export function memberRow(member: Member, provisional = false): MemberRow {
  return {
    ...member,
    nameKey: nameKey(member.displayName),
    cardKey: member.cards[0] ?? '',
    phoneKey: member.phoneHash ?? '',
    provisional,
  };
}

/**
 * The provisional row of a member enrolled here and not yet pulled: who they are (name, phone, cards…, as
 * this terminal's events left them), but no points and no events claimed (`seen` empty, memberSeq 0), so
 * the balance shown is always this terminal's events projected on top of it, and an event HQ later refuses
 * simply stops counting.
 */
export function provisionalRow(projection: Member): MemberRow {
  const identity = emptyMember(projection.id, projection.enrolledAt);
  return memberRow(
    {
      ...identity,
      status: projection.status,
      displayName: projection.displayName,
      phoneHash: projection.phoneHash,
      phoneLast4: projection.phoneLast4,
      birthMonth: projection.birthMonth,
      cards: [...projection.cards],
      referredBy: projection.referredBy,
    },
    true,
  );
}

export function memberRowFromDoc(doc: MemberDoc): WithDeleted<MemberRow> {
  const { _deleted, ...member } = doc;
  return { ...memberRow(member), _deleted };
}

/** The domain member of a stored row (RxDB's and our own bookkeeping fields dropped). */
export function memberFromRow(row: MemberRow): Member {
  return {
    id: row.id,
    status: row.status,
    displayName: row.displayName,
    phoneHash: row.phoneHash,
    phoneLast4: row.phoneLast4,
    birthMonth: row.birthMonth,
    cards: [...row.cards],
    tier: row.tier,
    plan: row.plan ? { ...row.plan } : null,
    referredBy: row.referredBy,
    balance: row.balance,
    debt: row.debt,
    batches: row.batches.map((b) => ({ ...b })),
    qualifying: structuredClone(row.qualifying),
    totals: { ...row.totals },
    purchases: row.purchases,
    actions: structuredClone(row.actions),
    offlineAllowance: row.offlineAllowance,
    enrolledAt: row.enrolledAt,
    lastActivityAt: row.lastActivityAt,
    memberSeq: row.memberSeq,
    seen: { ...row.seen },
  };
}

export function productRowFromDoc(doc: ProductDoc): WithDeleted<ProductRow> {
  return { ...doc, gtinKey: doc.gtin ?? '' };
}

export function productFromRow(row: ProductRow): Omit<ProductDoc, '_deleted'> {
  return {
    sku: row.sku,
    gtin: row.gtin,
    name: row.name,
    category: row.category,
    price: row.price,
    currency: row.currency,
  };
}

/** A just-recorded event, not yet answered for by HQ. */
export function localEventRow(event: LedgerEvent): EventRow {
  return {
    id: event.id,
    terminalId: event.terminalId,
    terminalSeq: event.terminalSeq,
    memberId: event.memberId,
    type: event.type,
    occurredAt: event.occurredAt,
    event,
    status: 'local',
    memberSeq: null,
    reason: null,
    recordedAt: null,
  };
}

/** A plain copy of an event row, without RxDB's fields (safe to keep after the document changes). */
export function plainEventRow(row: EventRow): EventRow {
  return {
    id: row.id,
    terminalId: row.terminalId,
    terminalSeq: row.terminalSeq,
    memberId: row.memberId,
    type: row.type,
    occurredAt: row.occurredAt,
    event: structuredClone(row.event),
    status: row.status,
    memberSeq: row.memberSeq,
    reason: row.reason,
    recordedAt: row.recordedAt,
  };
}

export const localEventOf = (row: Pick<EventRow, 'event' | 'memberSeq'>): LocalEvent => ({
  event: row.event,
  memberSeq: row.memberSeq,
});

const conflictReason = (hqHash: string): string =>
  `HQ holds other content under this event id (its hash ${hqHash.slice(0, 12)}…): the event was ` +
  'kept aside at HQ and is not counted; a manager must review it.';

/** HQ's copy of an event and its verdict: a pulled event document, or a push result. */
export interface HqVerdict {
  event: LedgerEvent;
  status: EventSyncStatus;
  memberSeq: number | null;
  reason: string | null;
  recordedAt: string | null;
}

/** A pulled event document as a verdict. */
export const verdictOfDoc = (doc: EventDoc): HqVerdict => ({
  event: doc.event,
  status: doc.status,
  memberSeq: doc.memberSeq,
  reason: doc.reason,
  recordedAt: doc.recordedAt,
});

/**
 * The row for one of this terminal's events as HQ reports it, merged with the local row: HQ's verdict
 * (status, memberSeq, reason, recordedAt) wins, the event's content is the local one. When HQ's content
 * differs, the outcome is `conflict`, never a silent replacement. A row deleted locally stays deleted (a
 * lost event must show in the day close, not be quietly restored).
 */
export function mergeHqVerdict(
  local: WithDeleted<EventRow> | undefined,
  hq: HqVerdict,
): WithDeleted<EventRow> {
  if (!local) {
    const e = hq.event;
    return {
      id: e.id,
      terminalId: e.terminalId,
      terminalSeq: e.terminalSeq,
      memberId: e.memberId,
      type: e.type,
      occurredAt: e.occurredAt,
      event: e,
      status: hq.status,
      memberSeq: hq.memberSeq,
      reason: hq.reason,
      recordedAt: hq.recordedAt,
      _deleted: false,
    };
  }
  if (local.event.hash !== hq.event.hash) {
    return {
      ...local,
      status: 'conflict',
      memberSeq: null,
      reason: conflictReason(hq.event.hash),
      recordedAt: hq.recordedAt,
    };
  }
  return {
    ...local,
    status: hq.status,
    memberSeq: hq.memberSeq,
    reason: hq.reason,
    recordedAt: hq.recordedAt,
  };
}

/** Equality as replication sees it: the same event (by hash) with the same verdict. */
function sameEventRow(a: WithDeleted<EventRow>, b: WithDeleted<EventRow>): boolean {
  return (
    a.id === b.id &&
    a._deleted === b._deleted &&
    a.event.hash === b.event.hash &&
    a.status === b.status &&
    a.memberSeq === b.memberSeq &&
    a.reason === b.reason &&
    a.recordedAt === b.recordedAt
  );
}

/**
 * The events collection's conflict handler. The push handler answers each pushed event with HQ's state
 * of it (the "real master state"); resolving keeps the local content and takes HQ's verdict.
 */
export const eventConflictHandler: RxConflictHandler<EventRow> = {
  isEqual: (a, b) => sameEventRow(a, b),
  resolve: ({ newDocumentState, realMasterState }) => {
    if (newDocumentState._deleted) return Promise.resolve(newDocumentState);
    return Promise.resolve(mergeHqVerdict(newDocumentState, realMasterState));
  },
};
