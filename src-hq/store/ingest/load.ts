// What ingest reads, and the locks it takes while reading, in one order for every writer so concurrent
// batches queue instead of deadlocking: the source's row (a terminal's, or HQ's chain head: serialises one
// source's pushes), then the members' advisory locks and rows in key order (member-locks.ts: held even for
// a member whose row does not exist yet), then — at write time — the shared taker lock of the change numbers
// (changes.ts; shared, so writers never wait on it). Each function fills the batch's IngestDecisions from
// the database; none decides anything.
import {
  HQ_SOURCE,
  voidableEventTypes,
  type EventOf,
  type LedgerEvent,
} from '../../../src-shared/ledger/events.js';
import type { Member } from '../../../src-shared/ledger/member.js';
import type { Queryable } from '../../db/database.js';
import { lockMemberIds } from '../member-locks.js';
import { currentProgramRef, loadProgramVersion } from '../programs.js';
import {
  offlinePeriodKey,
  originalIdOf,
  type Entry,
  type Head,
  type IngestDecisions,
  type ProgramRef,
  type StoredRow,
} from './decide.js';
import { AuthorisationError, type TerminalIdentity } from './validate.js';

export const STORED_COLUMNS = `id::text AS id, terminal_id, terminal_seq, body, status, member_seq, reason, applied,
  points_delta, ruled_points, voids, change_seq`;

/** Locks a terminal's row (or HQ's chain head) and reads where its chain stands, and the current program. */
export async function lockSource(
  tx: Queryable,
  source: TerminalIdentity,
): Promise<{ head: Head; current: ProgramRef[] }> {
  // The current program comes along (one round trip less per batch; versions are immutable).
  const current = `(SELECT json_agg(json_build_object('programId', program_id, 'version', version) ORDER BY program_id)
    FROM programs WHERE current) AS current`;
  type Row = { last_seq: number; last_hash: string; store_id: string; current: ProgramRef[] | null };
  const { rows } =
    source.id === HQ_SOURCE
      ? await tx.query<Row>(
          `SELECT last_seq, last_hash, '${HQ_SOURCE}' AS store_id, ${current} FROM hq_chain WHERE id = '${HQ_SOURCE}' FOR UPDATE`,
        )
      : await tx.query<Row>(
          `SELECT last_seq, last_hash, store_id, ${current} FROM terminals WHERE id = $1 FOR UPDATE`,
          [source.id],
        );
  const row = rows[0];
  if (!row) throw new AuthorisationError(`Terminal ${JSON.stringify(source.id)} is not enrolled at HQ.`);
  if (row.store_id !== source.storeId)
    throw new AuthorisationError(`Terminal ${JSON.stringify(source.id)} belongs to another store.`);
  return {
    head: { seq: row.last_seq, hash: row.last_hash, startSeq: row.last_seq },
    current: row.current ?? [],
  };
}

/** Takes the locks of members not locked yet (advisory, then row), in key order, and loads them. */
export async function lockMembers(tx: Queryable, d: IngestDecisions, ids: Iterable<string>): Promise<void> {
  const missing = [...new Set(ids)].filter((id) => !d.members.has(id));
  if (missing.length === 0) return;
  await lockMemberIds(tx, missing);
  const { rows } = await tx.query<{
    id: string;
    doc: Member;
    member_seq: number;
    deleted: boolean;
    merged_into: string | null;
  }>(
    'SELECT id, doc, member_seq, deleted, merged_into FROM members WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE',
    [missing],
  );
  const found = new Map(rows.map((r) => [r.id, r]));
  for (const id of missing) {
    const r = found.get(id);
    d.members.set(id, {
      id,
      row: r ? (r.deleted ? 'deleted' : 'live') : 'none',
      member: r && !r.deleted ? r.doc : null,
      lastMemberSeq: r?.member_seq ?? 0,
      changed: false,
      mergedInto: r?.merged_into ?? null,
    });
  }
}

/** The one current program (HQ runs one program per chain), from the source row's read or a query. */
export async function currentRef(
  tx: Queryable,
  d: IngestDecisions,
  list: ProgramRef[] | null,
): Promise<ProgramRef> {
  if (d.current) return d.current;
  let refs = list;
  if (refs === null) {
    const ref = await currentProgramRef(tx);
    refs = ref ? [ref] : [];
  }
  if (refs.length > 1)
    throw new Error(
      `Several programs are current (${refs.map((r) => r.programId).join(', ')}): HQ runs one program per chain.`,
    );
  const ref = refs[0];
  if (!ref) throw new Error('No program is published at HQ: publish one before terminals push events.');
  d.current = ref;
  return ref;
}

/** Loads the program versions named (and the current one); an unknown version loads as null. */
export async function loadPrograms(
  tx: Queryable,
  d: IngestDecisions,
  cacheOwner: object,
  versions: Iterable<number>,
): Promise<void> {
  const ref = d.current;
  if (!ref) throw new Error('the current program must be known before loading versions');
  for (const v of new Set([...versions, ref.version])) {
    if (d.programs.has(v)) continue;
    d.programs.set(v, await loadProgramVersion(tx, ref.programId, v, cacheOwner));
  }
}

/**
 * What is stored already under these ids, or at these (terminal, seq) positions. The key table answers
 * first (one small table; the events' own indexes are one per monthly partition, and an id says nothing of
 * its month): almost always nothing is there, and only what is found is read from the events.
 */
export async function loadStored(
  tx: Queryable,
  sourceId: string,
  events: readonly LedgerEvent[],
  headSeq: number,
): Promise<StoredRow[]> {
  const ids = [...new Set(events.map((e) => e.id))];
  const lateSeqs = [...new Set(events.map((e) => e.terminalSeq).filter((s) => s <= headSeq))];
  const { rows: keys } = await tx.query<{ id: string }>(
    lateSeqs.length === 0
      ? 'SELECT id::text AS id FROM event_keys WHERE id = ANY($1::uuid[])'
      : `SELECT id::text AS id FROM event_keys
         WHERE id = ANY($1::uuid[]) OR (terminal_id = $2 AND terminal_seq = ANY($3::bigint[]))`,
    lateSeqs.length === 0 ? [ids] : [ids, sourceId, lateSeqs],
  );
  if (keys.length === 0) return [];
  const { rows } = await tx.query<StoredRow>(
    `SELECT ${STORED_COLUMNS} FROM events WHERE id = ANY($1::uuid[])`,
    [keys.map((k) => k.id)],
  );
  return rows;
}

/** `${id} ${canonical body}` of the quarantined copies of these ids (a retried conflict is kept once). */
export async function loadQuarantined(
  tx: Queryable,
  ids: readonly string[],
  canonical: (body: unknown) => string,
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const { rows } = await tx.query<{ event_id: string; body: unknown }>(
    'SELECT event_id, body FROM quarantine WHERE event_id = ANY($1::text[])',
    [[...new Set(ids)]],
  );
  return new Set(rows.map((r) => `${r.event_id} ${canonical(r.body)}`));
}

/** The stored neighbours (terminalSeq ± 1) of events filling an earlier gap. */
export async function loadNeighbours(
  tx: Queryable,
  sourceId: string,
  late: readonly Entry[],
): Promise<Map<number, { hash: string; prevHash: string }>> {
  const wanted = late.flatMap((l) => [l.event.terminalSeq - 1, l.event.terminalSeq + 1]);
  const { rows } = await tx.query<{ terminal_seq: number; hash: string; prev_hash: string }>(
    'SELECT terminal_seq, hash, prev_hash FROM events WHERE terminal_id = $1 AND terminal_seq = ANY($2::bigint[])',
    [sourceId, wanted],
  );
  return new Map(rows.map((r) => [r.terminal_seq, { hash: r.hash, prevHash: r.prev_hash }] as const));
}

/**
 * Everything the accepted events' decisions read: card owners, the originals of voids and returns (and
 * their applied voids and returns), referrals, roles, offline totals.
 */
export async function loadContext(
  tx: Queryable,
  d: IngestDecisions,
  accepted: readonly Entry[],
): Promise<void> {
  await loadCards(tx, d, accepted);
  await loadOriginals(tx, d, accepted);
  await loadAppliedVoids(tx, d, accepted);
  await loadAppliedReturns(tx, d, accepted);
  await loadReferralAwards(tx, d, accepted);
  await loadManagerRoles(tx, d, accepted);
  await loadOfflineSpent(tx, d, accepted);
}

async function loadCards(tx: Queryable, d: IngestDecisions, accepted: readonly Entry[]): Promise<void> {
  const cards = new Set<string>();
  for (const { event: e } of accepted) {
    if (e.type === 'member-enrolled') e.payload.cards.forEach((c) => cards.add(c));
    if (e.type === 'member-updated') {
      e.payload.addCards?.forEach((c) => cards.add(c));
      e.payload.removeCards?.forEach((c) => cards.add(c));
    }
  }
  const unknown = [...cards].filter((c) => !d.cardOwner.has(c));
  if (unknown.length === 0) return;
  const { rows } = await tx.query<{ number: string; member_id: string }>(
    'SELECT number, member_id FROM cards WHERE number = ANY($1::text[])',
    [unknown],
  );
  for (const c of unknown) d.cardOwner.set(c, null);
  for (const r of rows) d.cardOwner.set(r.number, r.member_id);
}

/** The originals voids and returns name, as HQ holds them (its copy, whether applied, its ruled figure). */
async function loadOriginals(tx: Queryable, d: IngestDecisions, accepted: readonly Entry[]): Promise<void> {
  const originals = [...new Set(accepted.flatMap(({ event: e }) => originalIdOf(e) ?? []))];
  if (originals.length === 0) return;
  const { rows } = await tx.query<{
    id: string;
    body: LedgerEvent;
    applied: boolean;
    ruled_points: number | null;
  }>('SELECT id::text AS id, body, applied, ruled_points FROM events WHERE id = ANY($1::uuid[])', [
    originals,
  ]);
  for (const r of rows)
    d.originals.set(r.id, { event: r.body, applied: r.applied, ruledPoints: r.ruled_points });
}

/** Which of `ids` (originals voided or returned, or voidable events arriving) already have an applied void. */
async function loadAppliedVoids(
  tx: Queryable,
  d: IngestDecisions,
  accepted: readonly Entry[],
): Promise<void> {
  const ids = [
    ...new Set(
      accepted.flatMap(({ event: e }) => originalIdOf(e) ?? (voidableEventTypes.has(e.type) ? [e.id] : [])),
    ),
  ];
  if (ids.length === 0) return;
  // event_voids holds exactly the applied voids (migration 0018's triggers): one small table to ask.
  const done = await tx.query<{ voids: string }>(
    'SELECT voids FROM event_voids WHERE voids = ANY($1::text[])',
    [ids],
  );
  for (const r of done.rows) d.voided.add(r.voids);
}

/**
 * The returns HQ applied of the sales that voids and returns name (units returned, points taken). A
 * return HQ applied is its sale's member's (another member's is refused), so the member's events are
 * searched (events_member), in HQ's order.
 */
async function loadAppliedReturns(
  tx: Queryable,
  d: IngestDecisions,
  accepted: readonly Entry[],
): Promise<void> {
  const sales = new Set<string>();
  const members = new Set<string>();
  for (const { event: e } of accepted) {
    const id = originalIdOf(e);
    if (id === null || d.returns.has(id)) continue;
    sales.add(id);
    members.add(e.memberId);
  }
  if (sales.size === 0) return;
  for (const id of sales) d.returns.set(id, { units: new Map(), taken: 0 });
  const { rows } = await tx.query<{ body: EventOf<'points-returned'>; ruled_points: number | null }>(
    `SELECT body, ruled_points FROM events
     WHERE member_id = ANY($1::text[]) AND type = 'points-returned' AND applied
       AND body->'payload'->'original'->>'id' = ANY($2::text[])
     ORDER BY member_id, member_seq`,
    [[...members], [...sales]],
  );
  for (const r of rows) d.countReturn(r.body, r.ruled_points ?? r.body.payload.points);
}

async function loadReferralAwards(
  tx: Queryable,
  d: IngestDecisions,
  accepted: readonly Entry[],
): Promise<void> {
  const candidates = new Set<string>();
  for (const { event: e } of accepted) {
    if (e.type !== 'points-earned') continue;
    const m = d.members.get(e.memberId)?.member;
    const enrolledHere = accepted.some(
      (a) =>
        a.event.type === 'member-enrolled' && a.event.memberId === e.memberId && a.event.payload.referredBy,
    );
    if (m?.referredBy || enrolledHere) candidates.add(e.memberId);
  }
  if (candidates.size === 0) return;
  const { rows } = await tx.query<{ member_id: string }>(
    'SELECT member_id FROM referral_awards WHERE member_id = ANY($1::text[])',
    [[...candidates]],
  );
  for (const r of rows) d.referralsAwarded.add(r.member_id);
}

/** The roles of the managers named by adjustments (their cap is the program's for that role). */
async function loadManagerRoles(
  tx: Queryable,
  d: IngestDecisions,
  accepted: readonly Entry[],
): Promise<void> {
  const ids = [
    ...new Set(
      accepted.flatMap(({ event: e }) =>
        e.type === 'points-adjusted' && !d.managerRoles.has(e.payload.managerId) ? [e.payload.managerId] : [],
      ),
    ),
  ];
  if (ids.length === 0) return;
  const { rows } = await tx.query<{ id: string; role: 'cashier' | 'manager' }>(
    'SELECT id, role FROM cashiers WHERE id = ANY($1::text[]) AND NOT deleted',
    [ids],
  );
  for (const r of rows) d.managerRoles.set(r.id, r.role);
}

/** What each terminal already redeemed offline, per member and offline period, for the offline bound. */
async function loadOfflineSpent(
  tx: Queryable,
  d: IngestDecisions,
  accepted: readonly Entry[],
): Promise<void> {
  const wanted = new Map<string, { terminal: string; member: string; since: string }>();
  for (const { event: e } of accepted) {
    if (e.type !== 'points-redeemed' || e.payload.mode !== 'offline' || !e.payload.offlinePeriod) continue;
    const since = e.payload.offlinePeriod.since;
    const key = offlinePeriodKey(e.terminalId, e.memberId, since);
    if (!d.offlineSpent.has(key)) wanted.set(key, { terminal: e.terminalId, member: e.memberId, since });
  }
  if (wanted.size === 0) return;
  const list = [...wanted.values()];
  const { rows } = await tx.query<{ terminal_id: string; member_id: string; since: string; total: number }>(
    `SELECT e.terminal_id, e.member_id, w.since, sum(coalesce(e.ruled_points, (e.body->'payload'->>'cost')::bigint))::bigint AS total
     FROM unnest($1::text[], $2::text[], $3::text[]) AS w(terminal_id, member_id, since)
     JOIN events e ON e.member_id = w.member_id AND e.terminal_id = w.terminal_id
     WHERE e.type = 'points-redeemed' AND e.applied AND e.body->'payload'->>'mode' = 'offline'
       AND e.body->'payload'->'offlinePeriod'->>'since' = w.since
     GROUP BY e.terminal_id, e.member_id, w.since`,
    [list.map((w) => w.terminal), list.map((w) => w.member), list.map((w) => w.since)],
  );
  for (const key of wanted.keys()) d.offlineSpent.set(key, 0);
  for (const r of rows) d.offlineSpent.set(offlinePeriodKey(r.terminal_id, r.member_id, r.since), r.total);
}

/** Members (among `enrolling`) with stored events waiting for their enrollment. */
export async function loadWaitingMembers(tx: Queryable, enrolling: readonly string[]): Promise<string[]> {
  if (enrolling.length === 0) return [];
  const { rows } = await tx.query<{ member_id: string }>(
    'SELECT DISTINCT member_id FROM events WHERE member_id = ANY($1::text[]) AND member_seq IS NULL AND NOT applied',
    [enrolling],
  );
  return rows.map((r) => r.member_id);
}

/** Every stored event of these members (to re-project them). */
export async function loadHistory(tx: Queryable, memberIds: readonly string[]): Promise<StoredRow[]> {
  const { rows } = await tx.query<StoredRow>(
    `SELECT ${STORED_COLUMNS} FROM events WHERE member_id = ANY($1::text[])`,
    [[...memberIds]],
  );
  return rows;
}
