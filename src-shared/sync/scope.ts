// Which members a till holds: its store's scope, as the chain configures it at HQ (docs/architecture.md
// section 6). The rules are data (a settings row at HQ, validated here); the decision is pure: given what HQ
// knows of a member and a store (the member's scope entries), is the member in that store's scope? HQ's SQL
// (src-hq/store/scope.ts) asks the same question of the member_scopes table and is tested against this.
//
// Two questions, on purpose different:
// - bootstrap: what a new till's replica starts with (the snapshot): members enrolled here, members active
//   here within the window, members this store's tills fetched within the window;
// - follow: whose changes a till keeps getting (the pull): every member who has ever had an entry that the
//   rules count, whatever its age. A member whose activity fell out of the window stays on the tills that
//   hold them and keeps being updated there, so no till ever shows a frozen balance; the window only
//   bounds what a new till starts with.
// Also here: the contract of the on-demand fetch (POST /v1/scope/members, by card; .../by-phone, by phone
// lookup key), a member outside the replica, which HQ records as kept by the store's tills.
import { z } from 'zod';
import { DAY_MS } from '../kernel/clock.js';
import { memberDocSchema } from './wire.js';

/** The longest activity window a chain may set (ten years). */
export const MAX_ACTIVE_MONTHS = 120;

/**
 * The chain's scope rules. `chain`: every till holds every member (the default: what tills did before
 * scopes existed, right for a small chain). `scoped`: a till holds the members enrolled at its store (or
 * area), those active (any event) at its store (or area) in the last `activeMonths` months (0: activity
 * does not count), and those its store's tills fetched on demand. `area` widens enrollment and activity
 * from the store to every store of its region (a store without a region is its own area).
 */
export const scopeRulesSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('chain') }).strict(),
  z
    .object({
      kind: z.literal('scoped'),
      enrolledHere: z.boolean(),
      activeMonths: z.number().int().min(0).max(MAX_ACTIVE_MONTHS),
      area: z.enum(['store', 'region']),
    })
    .strict(),
]);
export type ScopeRules = z.infer<typeof scopeRulesSchema>;

/** What HQ applies until the chain sets rules: the whole chain, as before scopes. */
export const DEFAULT_SCOPE_RULES: ScopeRules = { kind: 'chain' };

/** A common choice for a large chain: enrolled here, or active in the store's region in the last year. */
export const SUGGESTED_SCOPED_RULES: ScopeRules = {
  kind: 'scoped',
  enrolledHere: true,
  activeMonths: 12,
  area: 'region',
};

/**
 * What HQ records of a member at one store (a member_scopes row): enrolled there, the last day (UTC) of an
 * event there, the last time a till of that store fetched them on demand.
 */
export interface ScopeEntry {
  storeId: string;
  enrolled: boolean;
  /** YYYY-MM-DD (UTC), or null: no event there. */
  lastActive: string | null;
  /** ISO instant, or null: never fetched there. */
  fetchedAt: string | null;
}

export type ScopePurpose = 'bootstrap' | 'follow';

/** A store as the scope sees it. */
export interface ScopeStore {
  id: string;
  region: string | null;
}

/** The stores whose entries count for `store`: itself, or every store of its region. */
export function areaStores(rules: ScopeRules, store: ScopeStore, stores: readonly ScopeStore[]): string[] {
  if (rules.kind === 'chain' || rules.area === 'store' || store.region === null) return [store.id];
  const ids = stores.filter((s) => s.region === store.region).map((s) => s.id);
  return ids.includes(store.id) ? ids : [store.id, ...ids];
}

/**
 * The first UTC day whose activity (and fetches) a new till's bootstrap still counts: `months` calendar
 * months before today (UTC), clamped to the month's last day (31 March minus one month is 28/29 February).
 * Null when activity does not count (0 months).
 */
export function activityCutoff(nowMs: number, months: number): string | null {
  if (months <= 0) return null;
  const now = new Date(Math.floor(nowMs / DAY_MS) * DAY_MS);
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth() - months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const cutoff = new Date(Date.UTC(year, month, Math.min(now.getUTCDate(), lastDay)));
  return cutoff.toISOString().slice(0, 10);
}

export interface ScopeQuestion {
  rules: ScopeRules;
  /** The till's store. */
  storeId: string;
  /** areaStores(rules, store, stores). */
  area: readonly string[];
  purpose: ScopePurpose;
  nowMs: number;
}

/** Whether one entry puts its member in the store's scope. */
export function entryCounts(q: ScopeQuestion, entry: ScopeEntry): boolean {
  if (q.rules.kind === 'chain') return true;
  const cutoff = q.purpose === 'bootstrap' ? activityCutoff(q.nowMs, q.rules.activeMonths) : null;
  // Fetched on demand: this store's own tills only, kept whatever the rules say of activity.
  if (entry.fetchedAt !== null && entry.storeId === q.storeId) {
    if (cutoff === null || entry.fetchedAt.slice(0, 10) >= cutoff) return true;
  }
  if (!q.area.includes(entry.storeId)) return false;
  if (q.rules.enrolledHere && entry.enrolled) return true;
  if (q.rules.activeMonths > 0 && entry.lastActive !== null) {
    if (cutoff === null || entry.lastActive >= cutoff) return true;
  }
  return false;
}

/** Whether a member with these entries (all stores) is in the store's scope. */
export function memberInScope(q: ScopeQuestion, entries: readonly ScopeEntry[]): boolean {
  return q.rules.kind === 'chain' || entries.some((e) => entryCounts(q, e));
}

/** POST /v1/scope/members: a member by card, for a till whose replica does not hold them. */
export const scopeFetchRequestSchema = z.object({ card: z.string().trim().min(1).max(64) }).strict();
export type ScopeFetchRequest = z.infer<typeof scopeFetchRequestSchema>;

/**
 * The member holding the card (null: no member HQ can show holds it: unknown, blocked, merged away or
 * erased). HQ now counts the member in the calling store's scope, so their later changes reach its tills
 * through the pull.
 */
export const scopeFetchResponseSchema = z.object({ member: memberDocSchema.nullable() }).strict();
export type ScopeFetchResponse = z.infer<typeof scopeFetchResponseSchema>;

/**
 * POST /v1/scope/members/by-phone: the members with a phone lookup key (several members may share a
 * phone; at most 50), for a till whose replica holds none of them; each now kept by the calling store.
 */
export const scopePhoneFetchRequestSchema = z
  .object({ phoneHash: z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 hex digest') })
  .strict();
export const scopePhoneFetchResponseSchema = z.object({ members: z.array(memberDocSchema) }).strict();
export type ScopePhoneFetchResponse = z.infer<typeof scopePhoneFetchResponseSchema>;
