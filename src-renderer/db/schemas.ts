// The RxDB collections of the terminal's two databases (docs/architecture.md section 4), their JSON schemas, the row
// types stored, and the migration strategies.
//
// ledger  (strict durability): events                          + local documents (sync state, closes)
// catalog (relaxed):           members, cards, products, programs, cashiers
//
// Six collections per terminal: RxDB's free tier opens at most 13 at a time in a process, and tests (and
// the two-terminal scenarios) open two terminals side by side. Terminal state and close records are RxDB
// local documents of the ledger database: they are storage instances, not collections.
//
// Rules the schemas follow (RxDB refuses or misbehaves otherwise): every indexed field is required; indexed
// strings have a maxLength; indexed numbers have minimum, maximum and multipleOf; an indexed field is never
// nullable (a missing phone hash is stored as '' in `phoneKey`, a missing GTIN as '' in `gtinKey`).
//
// Schema versions and migrations: every schema is version 0 but cashiers (1: the PIN hash left the
// renderer) and members (1: the first card as the indexed cardKey). To change a stored shape, raise `version` to
// 1 and add `1: (old) => new` to that collection's strategies below (RxDB runs them on open, in order,
// document by document; return null to drop a document). Catalog rows can also simply be re-pulled: a
// catalog migration may drop everything and let replication refill it, but a ledger migration must keep
// every event (events are the terminal's own record and may not have reached HQ yet).
import type { MigrationStrategies, RxJsonSchema } from 'rxdb';
import type { LedgerEvent } from '../../src-shared/ledger/events.js';
import type { Member } from '../../src-shared/ledger/member.js';
import type { Program } from '../../src-shared/program/schema.js';
import type { CashierDoc, ProductDoc } from '../../src-shared/sync/wire.js';

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

// ---- ledger: events ----------------------------------------------------------------------------------

/**
 * Where an event stands, as this terminal knows it: `local` until HQ answered for it, then HQ's status
 * (`posted`, `flagged`, `quarantined`), or `conflict` (HQ holds other content under this id: kept aside at
 * HQ, the local content is kept here unchanged) or `rejected` (HQ refused it as invalid; it will not be
 * sent again). An event's content never changes after it was recorded; only these fields do.
 */
export const eventSyncStatuses = [
  'local',
  'posted',
  'flagged',
  'quarantined',
  'conflict',
  'rejected',
] as const;
export type EventSyncStatus = (typeof eventSyncStatuses)[number];

export interface EventRow {
  /** The event id (UUIDv7). */
  id: string;
  terminalId: string;
  terminalSeq: number;
  memberId: string;
  type: LedgerEvent['type'];
  /** The event's occurredAt as ISO text in UTC (the terminal makes it with toISOString). */
  occurredAt: string;
  /** The sealed event, exactly as recorded: never modified. */
  event: LedgerEvent;
  status: EventSyncStatus;
  /** HQ's per-member sequence number once posted. */
  memberSeq: number | null;
  /** HQ's words for a flag, a quarantine, a conflict or a rejection. */
  reason: string | null;
  recordedAt: string | null;
}

export const eventRowSchema: RxJsonSchema<EventRow> = {
  title: 'ledger events',
  description: "This terminal's ledger events with HQ's verdict",
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 36 },
    terminalId: { type: 'string', maxLength: 64 },
    terminalSeq: { type: 'integer', minimum: 1, maximum: MAX_SAFE, multipleOf: 1 },
    memberId: { type: 'string', maxLength: 64 },
    type: { type: 'string', maxLength: 32 },
    occurredAt: { type: 'string', maxLength: 40 },
    event: { type: 'object' },
    status: { type: 'string', enum: [...eventSyncStatuses], maxLength: 16 },
    memberSeq: { type: ['integer', 'null'] },
    reason: { type: ['string', 'null'] },
    recordedAt: { type: ['string', 'null'] },
  },
  required: [
    'id',
    'terminalId',
    'terminalSeq',
    'memberId',
    'type',
    'occurredAt',
    'event',
    'status',
    'memberSeq',
    'reason',
    'recordedAt',
  ],
  indexes: [
    // The chain head (the last event) and the day close's sequence ranges.
    ['terminalId', 'terminalSeq'],
    // A member's events, for the balance shown at the counter.
    ['memberId', 'terminalSeq'],
    // Pending count (`local`) and the events needing a manager's attention.
    ['status', 'terminalSeq'],
    // The day close: a business day's events.
    ['occurredAt'],
  ],
};

// ---- catalog: members --------------------------------------------------------------------------------

export interface MemberRow extends Member {
  /** Lower-case, accent-free display name, for prefix search. */
  nameKey: string;
  /**
   * The member's first card (`cards[0]`), or '' without one: indexed, so a card lookup finds nearly every
   * member here without a separate cards collection (RxDB indexes cannot cover array items). Cards beyond
   * the first are in the `cards` collection.
   */
  cardKey: string;
  /** The phone hash, or '' without one (indexed fields cannot be null). */
  phoneKey: string;
  /**
   * True for a member enrolled at this terminal and not yet pulled from HQ: the projection of this
   * terminal's events, so the member can be found at once. HQ's document replaces it when it arrives.
   */
  provisional: boolean;
}

const anyObject = { type: 'object' } as const;
const nullableString = { type: ['string', 'null'] } as const;

export const memberRowSchema: RxJsonSchema<MemberRow> = {
  title: 'members',
  description: "HQ's member projection (minimal PII), replicated from HQ",
  // 1: cardKey (the first card, indexed).
  version: 1,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 64 },
    nameKey: { type: 'string', maxLength: 40 },
    cardKey: { type: 'string', maxLength: 64 },
    phoneKey: { type: 'string', maxLength: 64 },
    provisional: { type: 'boolean' },
    status: { type: 'string' },
    displayName: { type: 'string' },
    phoneHash: nullableString,
    phoneLast4: nullableString,
    birthMonth: { type: ['integer', 'null'] },
    cards: { type: 'array', items: { type: 'string' } },
    tier: nullableString,
    plan: { type: ['object', 'null'] },
    referredBy: nullableString,
    balance: { type: 'integer' },
    debt: { type: 'integer' },
    batches: { type: 'array', items: anyObject },
    qualifying: anyObject,
    totals: anyObject,
    purchases: { type: 'integer' },
    actions: anyObject,
    offlineAllowance: { type: 'integer' },
    enrolledAt: { type: 'string' },
    lastActivityAt: nullableString,
    memberSeq: { type: 'integer' },
    seen: anyObject,
  },
  required: ['id', 'nameKey', 'cardKey', 'phoneKey', 'provisional', 'memberSeq', 'balance', 'debt', 'cards'],
  indexes: ['nameKey', 'phoneKey', 'cardKey'],
};

// ---- catalog: cards ----------------------------------------------------------------------------------

/**
 * Card number → member for the cards a member's `cardKey` does not cover: cards beyond a pulled member's
 * first, and the cards this terminal's enrollments and card links gave (local-index.ts). Most members hold
 * one card, so the bootstrap and the pull rarely write here. It is a hint only: a lookup keeps a member
 * only if the shown member really holds the card.
 */
export interface CardRow {
  number: string;
  memberId: string;
}

export const cardRowSchema: RxJsonSchema<CardRow> = {
  title: 'cards',
  version: 0,
  primaryKey: 'number',
  type: 'object',
  properties: {
    number: { type: 'string', maxLength: 64 },
    memberId: { type: 'string', maxLength: 64 },
  },
  required: ['number', 'memberId'],
};

// ---- catalog: products, programs, cashiers ------------------------------------------------------------

export type ProductRow = Omit<ProductDoc, '_deleted'> & {
  /** The GTIN, or '' without one. */
  gtinKey: string;
};

export const productRowSchema: RxJsonSchema<ProductRow> = {
  title: 'products',
  version: 0,
  primaryKey: 'sku',
  type: 'object',
  properties: {
    sku: { type: 'string', maxLength: 64 },
    gtin: nullableString,
    gtinKey: { type: 'string', maxLength: 14 },
    name: { type: 'string' },
    category: { type: 'string' },
    price: { type: 'integer' },
    currency: { type: 'string' },
  },
  required: ['sku', 'gtinKey', 'name', 'category', 'price', 'currency'],
  indexes: ['gtinKey'],
};

export interface ProgramRow {
  /** `<programId>@<version>`. */
  id: string;
  programId: string;
  version: number;
  publishedAt: string;
  current: boolean;
  definition: Program;
}

export const programRowSchema: RxJsonSchema<ProgramRow> = {
  title: 'programs',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 100 },
    programId: { type: 'string' },
    version: { type: 'integer' },
    publishedAt: { type: 'string' },
    current: { type: 'boolean' },
    definition: anyObject,
  },
  required: ['id', 'programId', 'version', 'publishedAt', 'current', 'definition'],
};

/** Who may sign in here: id, store, name and role. Never a PIN hash: PINs are checked in main (checkPin). */
export type CashierRow = Omit<CashierDoc, '_deleted'>;

export const cashierRowSchema: RxJsonSchema<CashierRow> = {
  title: 'cashiers',
  // 1: no pinHash (version 0 stored it).
  version: 1,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 64 },
    storeId: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string', enum: ['cashier', 'manager'] },
  },
  required: ['id', 'storeId', 'name', 'role'],
};

/**
 * Members 0 → 1: the first card becomes the indexed cardKey. The version-0 cards collection held every
 * card and stays as it is: its entries remain valid hints.
 */
export function memberWithCardKey(old: Omit<MemberRow, 'cardKey'>): MemberRow {
  return { ...old, cardKey: old.cards[0] ?? '' };
}

/** Cashiers 0 → 1: drop the PIN hash a version-0 replica kept, so none stays in IndexedDB. */
export function cashierWithoutPinHash(old: CashierRow & { pinHash?: unknown }): CashierRow {
  return { id: old.id, storeId: old.storeId, name: old.name, role: old.role };
}

// ---- migrations --------------------------------------------------------------------------------------

/**
 * One entry per collection: version → how a document of the version below becomes one of that version.
 * Cashiers and members are at version 1 (PIN hash dropped; cardKey added); the others at 0. A change goes here, e.g. for events:
 *
 *   events: { 1: (row) => ({ ...row, newField: defaultValue }) },
 *
 * together with `version: 1` in eventRowSchema. Never drop an event in a ledger migration.
 */
export const migrationStrategies: Readonly<Record<string, MigrationStrategies>> = {
  events: {},
  members: { 1: memberWithCardKey },
  cards: {},
  products: {},
  programs: {},
  cashiers: { 1: cashierWithoutPinHash },
};

// ---- local documents (ledger database) ----------------------------------------------------------------

/** Local document ids in the catalog database: a collection's pull checkpoint, and the members' bootstrap. */
export const pullCheckpointDocId = (collection: string): string => `pull-${collection}`;
export const LOCAL_MEMBERS_BOOTSTRAP = 'bootstrap-members';

/** Local document ids in the ledger database. */
export const LOCAL_SYNC_STATE = 'sync-state';
export const LOCAL_CLOSES = 'closes';
export const LOCAL_IDENTITY = 'identity';
