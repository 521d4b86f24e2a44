// Writing HQ's documents into the catalog replica, in one place for every path that brings them (the pull,
// the members' bootstrap when a member is already there, and a member HQ answered online): HQ's document
// replaces the stored one, and the card index (cards beyond a member's first) follows the member's cards,
// so a card the member gave up stops pointing at them whichever path brought the change.
import type { RxCollection, WithDeleted } from 'rxdb';
import type { MemberDoc } from '../../src-shared/sync/wire.js';
import type { CatalogDatabase } from './databases.js';
import { memberRowFromDoc } from './rows.js';

/**
 * Members, and the card index of their cards beyond the first (the first is the member's indexed cardKey),
 * written before the members themselves; a card a member no longer holds leaves the index. With
 * `onlyNewer`, a document older than a pulled one already stored (by memberSeq) is left out.
 */
export async function storeMemberDocs(
  catalog: CatalogDatabase,
  docs: readonly MemberDoc[],
  options: { onlyNewer?: boolean } = {},
): Promise<void> {
  const { members, cards } = catalog;
  const stored = await members.storageInstance.findDocumentsById(
    docs.map((d) => d.id),
    false,
  );
  const before = new Map(stored.map((row) => [row.id, row]));
  const newer = options.onlyNewer
    ? docs.filter((doc) => {
        const old = before.get(doc.id);
        return !old || old.provisional || old.memberSeq < doc.memberSeq;
      })
    : docs;
  const upserts: { number: string; memberId: string }[] = [];
  const dropped = new Map<string, string>();
  for (const doc of newer) {
    const old = before.get(doc.id);
    const oldCards = old ? old.cards : [];
    const newCards = doc._deleted ? [] : doc.cards;
    const oldExtra = old && !old.provisional ? oldCards.slice(1) : [];
    for (const c of newCards.slice(1))
      if (!oldExtra.includes(c)) upserts.push({ number: c, memberId: doc.id });
    for (const c of oldCards) if (!newCards.includes(c)) dropped.set(c, doc.id);
  }
  if (upserts.length > 0) await cards.bulkUpsert(upserts);
  if (dropped.size > 0) {
    const found = await cards.findByIds([...dropped.keys()]).exec();
    const stale = [...found.values()]
      .filter((c) => dropped.get(c.number) === c.memberId)
      .map((c) => c.number);
    if (stale.length > 0) await cards.bulkRemove(stale);
  }
  const rows = newer.map(memberRowFromDoc);
  const live = rows.filter((r) => !r._deleted).map(({ _deleted, ...row }) => row);
  if (live.length > 0) throwOnErrors(await members.bulkUpsert(live));
  const gone = rows.filter((r) => r._deleted && before.has(r.id)).map((r) => r.id);
  if (gone.length > 0) throwOnErrors(await members.bulkRemove(gone));
}

/** Writes a pulled page: HQ's documents replace the stored ones; deleted ones are removed. */
export async function storePage<T extends object>(
  collection: RxCollection<T>,
  docs: WithDeleted<T>[],
  id: (doc: T) => string,
): Promise<void> {
  const live: T[] = [];
  const deleted: string[] = [];
  for (const { _deleted, ...row } of docs) {
    if (_deleted) deleted.push(id(row as T));
    else live.push(row as T);
  }
  if (live.length > 0) throwOnErrors(await collection.bulkUpsert(live));
  if (deleted.length > 0) {
    const found = await collection.findByIds(deleted).exec();
    if (found.size > 0) throwOnErrors(await collection.bulkRemove([...found.keys()]));
  }
}

/** RxDB's bulk writes report failed documents instead of throwing: a failed page is retried. */
export function throwOnErrors(result: { error: readonly { documentId?: string; status?: number }[] }): void {
  const first = result.error[0];
  if (first)
    throw new Error(
      `${result.error.length} document(s) could not be stored (${first.documentId ?? '?'}: ${first.status ?? '?'})`,
    );
}
