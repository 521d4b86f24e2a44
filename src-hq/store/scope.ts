// A store's member scope at HQ (the rules and decisions: src-shared/sync/scope.ts): the chain's rules (a
// settings row), the stores' regions, the SQL condition the pull and the snapshot serve a till's members
// by, and the on-demand fetch of a member outside a store's scope. member_scopes (migration 0019) is kept
// by a trigger on events for enrollments and activity; the fetch writes its own rows here.
//
// Entering a scope must reach tills whose checkpoint has passed the member's last change: through an event,
// the trigger writes the entry in the transaction that changes the member (a new change number); through a
// fetch, keepMemberByCard takes a new change number for the member in the transaction that writes the entry.
import type { Clock } from '../../src-shared/kernel/clock.js';
import type { Member } from '../../src-shared/ledger/member.js';
import {
  DEFAULT_SCOPE_RULES,
  activityCutoff,
  areaStores,
  scopeRulesSchema,
  type ScopePurpose,
  type ScopeRules,
} from '../../src-shared/sync/scope.js';
import type { MemberDoc } from '../../src-shared/sync/wire.js';
import type { Db, Queryable } from '../db/database.js';
import { takeChangeSeqs } from './changes.js';
import { lockMemberIds } from './member-locks.js';
import { saveSetting, setting } from './settings.js';
import { InvalidInputError, UnknownStoreError } from './stores.js';

/** The settings row holding the chain's rules (JSON). */
export const SCOPE_SETTING = 'member_scope';

/**
 * A condition over the members table aliased `m`, its parameters numbered from `firstParam`
 * ($firstParam, $firstParam+1…): the shape the pull and the snapshot (src-hq/store/snapshot.ts) take. A
 * snapshot page gives its lower bound (members with an id after `after`), which bounds the entries read.
 */
export type MemberScopeFilter = (
  firstParam: number,
  page?: { after: string },
) => { sql: string; params: readonly unknown[] };

/**
 * The chain's rules; the default (every till holds every member) when none are set. A stored value that no
 * longer fits the schema (written by hand) also falls back to the default: it serves more, never less.
 */
export async function getScopeRules(db: Queryable): Promise<ScopeRules> {
  const value = await setting(db, SCOPE_SETTING);
  if (value === null) return DEFAULT_SCOPE_RULES;
  try {
    const parsed = scopeRulesSchema.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : DEFAULT_SCOPE_RULES;
  } catch {
    return DEFAULT_SCOPE_RULES;
  }
}

/** Sets the chain's rules; InvalidInputError naming what does not fit. */
export async function setScopeRules(db: Queryable, input: unknown, clock: Clock): Promise<ScopeRules> {
  const parsed = scopeRulesSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'rules'}: ${i.message}`);
    throw new InvalidInputError(`Scope rules do not fit: ${problems.join('; ')}.`);
  }
  await saveSetting(db, SCOPE_SETTING, JSON.stringify(parsed.data), new Date(clock.now()).toISOString());
  return parsed.data;
}

/** Puts a store in a region (null: none); UnknownStoreError for a store that does not exist. */
export async function setStoreRegion(db: Queryable, storeId: string, region: string | null): Promise<void> {
  const name = region?.trim() ?? null;
  if (name !== null && (name.length === 0 || name.length > 64))
    throw new InvalidInputError('A region is 1–64 characters.');
  const { rowCount } = await db.query('UPDATE stores SET region = $2 WHERE id = $1', [storeId, name]);
  if (rowCount === 0) throw new UnknownStoreError(storeId);
}

/** The stores whose entries count for `storeId` under `rules` (itself, or its region's stores). */
async function areaOf(db: Queryable, rules: ScopeRules, storeId: string): Promise<string[]> {
  if (rules.kind === 'chain' || rules.area === 'store') return [storeId];
  const { rows } = await db.query<{ id: string; region: string | null }>(
    `SELECT id, region FROM stores
     WHERE id = $1 OR region = (SELECT region FROM stores WHERE id = $1) ORDER BY id`,
    [storeId],
  );
  const store = rows.find((r) => r.id === storeId) ?? { id: storeId, region: null };
  return areaStores(rules, store, rows);
}

/**
 * The condition a store's members are served by (null: every member, the chain rule): for the pull
 * (`follow`: every member with an entry the rules count, whatever its age) or a new till's snapshot
 * (`bootstrap`: within the activity window). The same decision as src-shared/sync/scope.ts entryCounts.
 */
export async function memberScopeFilter(
  db: Queryable,
  storeId: string,
  purpose: ScopePurpose,
  clock: Clock,
): Promise<MemberScopeFilter | null> {
  const rules = await getScopeRules(db);
  if (rules.kind === 'chain') return null;
  const area = await areaOf(db, rules, storeId);
  const cutoff = purpose === 'bootstrap' ? activityCutoff(clock.now(), rules.activeMonths) : null;
  return (first, page) => {
    // Parameters numbered as they are used (one unused would have no type PostgreSQL can infer).
    const params: unknown[] = [];
    const p = (value: unknown): string => {
      params.push(value);
      return `$${first + params.length - 1}`;
    };
    let areaName: string | undefined;
    const areaParam = (): string => (areaName ??= `${p(area)}::text[]`);
    const storeParam = p(storeId);
    const cut = cutoff === null ? null : p(cutoff);
    const counts = [
      `(s.store_id = ${storeParam} AND s.fetched_at IS NOT NULL` +
        (cut === null ? ')' : ` AND s.fetched_at >= (${cut}::date::timestamp AT TIME ZONE 'UTC'))`),
    ];
    if (rules.enrolledHere) counts.push('s.enrolled');
    if (rules.activeMonths > 0)
      counts.push(cut === null ? 's.last_active IS NOT NULL' : `s.last_active >= ${cut}::date`);
    const anyOf = `(${counts.join(' OR ')})`;
    if (purpose === 'follow')
      return {
        // The pull probes each changed member's entries (from the index alone).
        sql: `EXISTS (SELECT 1 FROM member_scopes s
                WHERE s.member_id = m.id AND s.store_id = ANY(${areaParam()}) AND ${anyOf})`,
        params,
      };
    if (page === undefined)
      return {
        sql: `m.id IN (SELECT s.member_id FROM member_scopes s WHERE s.store_id = ANY(${areaParam()}) AND ${anyOf})`,
        params,
      };
    // A snapshot page: the area's entries after the page's bound, read once from the index alone, and those
    // members fetched by primary key in id order. An IN subquery had PostgreSQL walk the chain's members in
    // id order (1 in 90 is in a region's scope) and sort the whole scope on every page.
    return {
      sql: `m.id = ANY(ARRAY(SELECT s.member_id FROM member_scopes s
              WHERE s.store_id = ANY(${areaParam()}) AND s.member_id > ${p(page.after)} AND ${anyOf}))`,
      params,
    };
  };
}

/** A member a till may be given: not deleted, merged into another or erased (as members.ts findMembers). */
const FINDABLE = 'NOT m.deleted AND m.merged_into IS NULL AND m.erased_at IS NULL';

/**
 * Gives members found for a store a new change number each and records the store as keeping them, in one
 * transaction under their locks; `find` reads them again under the locks (they may have changed since) and
 * returns the documents of those still found, numbered with `$1` (an array of [id, change number]).
 */
async function keepFor(
  db: Db,
  storeId: string,
  ids: readonly string[],
  clock: Clock,
  find: { sql: string; params: readonly unknown[] },
): Promise<MemberDoc[]> {
  if (ids.length === 0) return [];
  const docs = await db.transaction(async (tx) => {
    await lockMemberIds(tx, ids);
    const seqs = await takeChangeSeqs(tx, 'members', ids.length);
    const numbered = JSON.stringify(ids.map((id, k) => ({ id, seq: seqs[k] })));
    const { rows } = await tx.query<{ doc: Member }>(find.sql, [numbered, ...find.params]);
    const kept = rows.map((r) => r.doc.id);
    if (kept.length > 0)
      await tx.query(
        `INSERT INTO member_scopes (store_id, member_id, fetched_at)
         SELECT $1, id, $3 FROM unnest($2::text[]) AS id ORDER BY id
         ON CONFLICT (store_id, member_id) DO UPDATE SET fetched_at = excluded.fetched_at`,
        [storeId, kept, new Date(clock.now()).toISOString()],
      );
    return rows.map((r) => r.doc);
  });
  return docs.map((doc) => ({ ...doc, _deleted: false }));
}

/**
 * A member outside a store's replica, by card, for one of its tills: the member document (null when no
 * findable member holds the card: unknown, blocked, merged away, erased), now kept by the store's tills.
 * In one transaction under the member's lock: the entry, and a new change number for the member, so every
 * later change reaches the store's tills through the pull and none committed before is skipped (the
 * document returned is the one at that number).
 */
export async function keepMemberByCard(
  db: Db,
  storeId: string,
  card: string,
  clock: Clock,
): Promise<MemberDoc | null> {
  const { rows: holders } = await db.query<{ member_id: string }>(
    'SELECT member_id FROM cards WHERE number = $1 AND blocked_at IS NULL',
    [card],
  );
  // The card is read again under the lock: it may have moved or been blocked since.
  const [doc] = await keepFor(
    db,
    storeId,
    holders.map((h) => h.member_id),
    clock,
    {
      sql: `UPDATE members m SET change_seq = x.seq
            FROM jsonb_to_recordset($1::jsonb) AS x(id text, seq bigint), cards c
            WHERE m.id = x.id AND c.number = $2 AND c.member_id = m.id AND c.blocked_at IS NULL AND ${FINDABLE}
            RETURNING m.doc`,
      params: [card],
    },
  );
  return doc ?? null;
}

/**
 * The members with a phone lookup key (at most 50, as /v1/members/lookup), for a till of a store whose
 * replica holds none of them; each now kept by the store's tills, as keepMemberByCard.
 */
export async function keepMembersByPhoneHash(
  db: Db,
  storeId: string,
  phoneHash: string,
  clock: Clock,
): Promise<MemberDoc[]> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT m.id FROM members m WHERE m.phone_hash = $1 AND ${FINDABLE} ORDER BY m.id LIMIT 50`,
    [phoneHash],
  );
  const docs = await keepFor(
    db,
    storeId,
    rows.map((r) => r.id),
    clock,
    {
      sql: `UPDATE members m SET change_seq = x.seq
            FROM jsonb_to_recordset($1::jsonb) AS x(id text, seq bigint)
            WHERE m.id = x.id AND m.phone_hash = $2 AND ${FINDABLE}
            RETURNING m.doc`,
      params: [phoneHash],
    },
  );
  return docs.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
