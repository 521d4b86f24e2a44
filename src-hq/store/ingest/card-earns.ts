// A till's earn on a card it did not know (src-shared/ledger/card-earn.ts), at HQ: in the transaction that
// stores it, HQ looks the card up, and credits the card's member with its own earn naming the till's event
// (HQ's figure for that member), or opens a `card-unknown` review item when HQ does not know the card either.
// The till's event is stored as sealed, against the card, and applied to no member: its chain is intact.
//
// Exactly once because it rides on the till's event being stored: only an event new in this batch is looked
// up (IngestDecisions.cardEarns), and an identical re-push is a duplicate that changes nothing. The same
// attach serves an administrator approving a `card-unknown` item once the card is enrolled (reviews.ts).
import { cardOfPlaceholder } from '../../../src-shared/ledger/card-earn.js';
import { HQ_SOURCE, type EventOf } from '../../../src-shared/ledger/events.js';
import type { Queryable } from '../../db/database.js';
import type { HqEventDraft } from '../hq-events.js';
import type { IngestBatch } from './batch.js';
import type { Entry, IngestDecisions, MemberSlot, StoredRow } from './decide.js';
import { currentRef, loadPrograms, STORED_COLUMNS } from './load.js';

/** The members HQ holds these cards for now (a card linked or unlinked earlier in the batch counts as such). */
async function cardOwners(
  tx: Queryable,
  d: IngestDecisions,
  cards: readonly string[],
): Promise<Map<string, string | null>> {
  const owners = new Map<string, string | null>();
  const ask = [...new Set(cards)].filter((c) => !d.cardOwner.has(c));
  if (ask.length > 0) {
    const { rows } = await tx.query<{ number: string; member_id: string }>(
      'SELECT number, member_id FROM cards WHERE number = ANY($1::text[])',
      [ask],
    );
    for (const r of rows) owners.set(r.number, r.member_id);
  }
  for (const c of cards) if (d.cardOwner.has(c)) owners.set(c, d.cardOwner.get(c) ?? null);
  return owners;
}

/**
 * Credits (or sends to review) card earns: looks their cards up, locks the members found (after the batch's
 * own: appendHq does the same for a referrer), and appends HQ's earns for them on HQ's chain. Returns the
 * HQ events' ids, one per entry (null: no credit, a `card-unknown` item instead).
 */
export async function creditCardEarns(
  tx: Queryable,
  batch: IngestBatch,
  entries: readonly Entry[],
): Promise<(string | null)[]> {
  if (entries.length === 0) return [];
  const d = batch.decisions;
  const cards = entries.map((e) => cardOfPlaceholder(e.event.memberId) ?? '');
  const owners = await cardOwners(tx, d, cards);
  const found = [...new Set([...owners.values()].filter((o): o is string => o !== null))];
  await batch.lockMembers(found);
  const drafts: HqEventDraft[] = [];
  const at: number[] = [];
  entries.forEach((entry, i) => {
    const owner = owners.get(cards[i] as string) ?? null;
    const slot: MemberSlot | null = owner === null ? null : (d.members.get(owner) ?? null);
    const draft = d.cardEarnCredit(entry, slot);
    if (!draft) return;
    at[i] = drafts.length;
    drafts.push(draft);
  });
  const results = await batch.appendHq(drafts);
  await noteActivity(tx, entries, drafts);
  return entries.map((_, i) => (at[i] === undefined ? null : (results[at[i]]?.id ?? null)));
}

/** The card earns new in the batch (the push's hook: pushEvents, just after the terminal's events). */
export async function attachCardEarns(tx: Queryable, batch: IngestBatch): Promise<void> {
  const fresh = batch.decisions.cardEarns.splice(0);
  await creditCardEarns(tx, batch, fresh);
}

/**
 * The member credited was at the till's store that day: the store's scope counts it like any event of
 * theirs there (HQ's own events count for no store, so the trigger on events does not). Their new change
 * number comes with the HQ earn in the same commit, so the store's tills get them on their next pull.
 */
async function noteActivity(
  tx: Queryable,
  entries: readonly Entry[],
  drafts: readonly HqEventDraft[],
): Promise<void> {
  const rows = drafts.flatMap((d) => {
    if (d.type !== 'points-earned' || !d.payload.attached) return [];
    const till = entries.find((e) => e.event.id === d.payload.attached?.eventId)?.event as
      EventOf<'points-earned'> | undefined;
    return till ? [{ store_id: till.storeId, member_id: d.memberId, at: till.occurredAt }] : [];
  });
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO member_scopes AS ms (store_id, member_id, last_active)
     SELECT r.store_id, r.member_id, max((r.at::timestamptz AT TIME ZONE 'UTC')::date)
     FROM jsonb_to_recordset($1::jsonb) AS r(store_id text, member_id text, at text)
     JOIN stores s ON s.id = r.store_id
     GROUP BY r.store_id, r.member_id
     ORDER BY r.store_id, r.member_id
     ON CONFLICT (store_id, member_id) DO UPDATE
       SET last_active = greatest(ms.last_active, excluded.last_active)
       WHERE ms.last_active IS NULL OR excluded.last_active > ms.last_active`,
    [JSON.stringify(rows)],
  );
}

/** How an administrator's attach of a `card-unknown` item's earn went (reviews.ts). */
export type StoredCardEarnCredit =
  | { kind: 'credited'; eventId: string }
  /** HQ credited it already (its earn names the till's event): nothing more is due. */
  | { kind: 'credited-before'; eventId: string }
  | { kind: 'card-unknown'; card: string }
  | { kind: 'not-a-card-earn' };

/**
 * Credits a stored card earn (a `card-unknown` item's event) to the member HQ now holds its card for, once:
 * an HQ earn already naming it means it was credited. The caller locks the review item, so two approvals
 * credit once, and flushes the batch.
 */
export async function creditStoredCardEarn(
  tx: Queryable,
  batch: IngestBatch,
  cacheOwner: object,
  eventId: string,
): Promise<StoredCardEarnCredit> {
  const { rows } = await tx.query<StoredRow>(`SELECT ${STORED_COLUMNS} FROM events WHERE id = $1::uuid`, [
    eventId,
  ]);
  const row = rows[0];
  const card = row ? cardOfPlaceholder(row.body.memberId) : null;
  if (!row || row.body.type !== 'points-earned' || card === null) return { kind: 'not-a-card-earn' };
  const before = await tx.query<{ id: string }>(
    `SELECT id::text AS id FROM events
     WHERE terminal_id = $1 AND type = 'points-earned' AND body->'payload'->'attached'->>'eventId' = $2
     LIMIT 1`,
    [HQ_SOURCE, eventId],
  );
  if (before.rows[0]) return { kind: 'credited-before', eventId: before.rows[0].id };
  const d = batch.decisions;
  const owner = (await cardOwners(tx, d, [card])).get(card) ?? null;
  if (owner === null) return { kind: 'card-unknown', card };
  await batch.lockMembers([owner]);
  if (d.members.get(owner)?.row !== 'live') return { kind: 'card-unknown', card };
  await currentRef(tx, d, null);
  await loadPrograms(tx, d, cacheOwner, [row.body.programVersion]);
  const [id] = await creditCardEarns(tx, batch, [d.storedEntry(row)]);
  return id ? { kind: 'credited', eventId: id } : { kind: 'card-unknown', card };
}
