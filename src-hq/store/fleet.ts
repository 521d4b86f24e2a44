// The console's fleet queries: stores with their counts, a store's terminals as HQ sees them (last seen,
// events held, open reviews, last day close) and its cashiers, disabled ones included. A disabled cashier
// is the cashiers table's tombstone (`deleted`): the renderer's replica drops them and /v1/staff-pins
// leaves their PIN out, so the tills forget them at their next refresh; enabling them again takes it back.
// Every cashier write takes a change sequence number, which is what tells the tills to refresh.
import { randomBytes, randomInt } from 'node:crypto';
import {
  pendingEvents,
  terminalStatus,
  type DayClose,
  type FleetCashier,
  type FleetStore,
  type FleetTerminal,
} from '../../src-shared/console/fleet.js';
import type { Clock } from '../../src-shared/kernel/clock.js';
import { hashPin, pinLengthProblem, type PinLength } from '../../src-shared/kernel/pin.js';
import type { CloseFigures } from '../../src-shared/sync/wire.js';
import type { Db, Queryable } from '../db/database.js';
import { chainPinLength, type CashierOptions } from './catalog.js';
import { takeChangeSeqs } from './changes.js';
import { InvalidInputError } from './stores.js';

/** A cashier id that is not one of the store's. */
export class UnknownCashierError extends Error {
  override readonly name = 'UnknownCashierError';
  constructor(readonly cashierId: string) {
    super(`This store has no cashier ${JSON.stringify(cashierId)}.`);
  }
}

type StoreRow = {
  id: string;
  name: string;
  time_zone: string;
  country: string;
  created_at: string;
  terminals: number;
  members: number;
  cashiers: number;
};

/** Stores by name with their counts; `scope` null for every store, else only those ids. */
export async function listFleetStores(
  db: Queryable,
  scope: readonly string[] | null,
  only?: string,
): Promise<FleetStore[]> {
  const { rows } = await db.query<StoreRow>(
    `SELECT s.id, s.name, s.time_zone, s.country, s.created_at,
       (SELECT count(*) FROM terminals t WHERE t.store_id = s.id AND t.revoked_at IS NULL) AS terminals,
       (SELECT count(DISTINCT e.member_id) FROM events e
         WHERE e.store_id = s.id AND e.type = 'member-enrolled') AS members,
       (SELECT count(*) FROM cashiers c WHERE c.store_id = s.id AND NOT c.deleted) AS cashiers
     FROM stores s
     WHERE ($1::text[] IS NULL OR s.id = ANY($1::text[])) AND ($2::text IS NULL OR s.id = $2)
     ORDER BY s.name, s.id`,
    [scope === null ? null : [...scope], only ?? null],
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    timeZone: r.time_zone,
    country: r.country,
    createdAt: r.created_at,
    terminals: r.terminals,
    members: r.members,
    cashiers: r.cashiers,
  }));
}

/** One store with its counts, or null. */
export async function getFleetStore(db: Queryable, storeId: string): Promise<FleetStore | null> {
  return (await listFleetStores(db, null, storeId))[0] ?? null;
}

type TerminalRow = {
  id: string;
  name: string;
  enrolled_at: string | null;
  revoked_at: string | null;
  last_seen_at: string | null;
  last_seq: number;
  events_received: number;
  events_waiting: number;
  open_reviews: { kind: string; count: number }[];
  business_day: string | null;
  closed_at: string | null;
  close_status: 'match' | 'mismatch' | null;
  terminal_figures: CloseFigures | null;
  differences: { fields: DayClose['differences']; missing: DayClose['missing'] } | null;
};

/** A store's terminals, oldest first, as HQ sees them at `clock.now()`. */
export async function listFleetTerminals(
  db: Queryable,
  storeId: string,
  clock: Clock,
): Promise<FleetTerminal[]> {
  const { rows } = await db.query<TerminalRow>(
    `SELECT t.id, t.name, t.enrolled_at, t.revoked_at, t.last_seen_at, t.last_seq,
       (SELECT count(*) FROM events e WHERE e.terminal_id = t.id) AS events_received,
       (SELECT count(*) FROM events e
         WHERE e.terminal_id = t.id AND e.member_seq IS NULL AND NOT e.applied) AS events_waiting,
       (SELECT coalesce(json_agg(json_build_object('kind', r.kind, 'count', r.n) ORDER BY r.kind), '[]'::json)
         FROM (SELECT kind, count(*) AS n FROM review_items
               WHERE terminal_id = t.id AND status = 'open' GROUP BY kind) r) AS open_reviews,
       c.business_day::text AS business_day, c.closed_at, c.status AS close_status,
       c.terminal_figures, c.differences
     FROM terminals t
     LEFT JOIN LATERAL (
       SELECT business_day, closed_at, status, terminal_figures, differences FROM day_closes d
       WHERE d.terminal_id = t.id ORDER BY business_day DESC LIMIT 1
     ) c ON true
     WHERE t.store_id = $1
     ORDER BY t.created_at, t.id`,
    [storeId],
  );
  const now = clock.now();
  return rows.map((r) => {
    const reportedLastSeq = r.terminal_figures?.lastSeq ?? null;
    const lastClose: DayClose | null =
      r.business_day === null || r.closed_at === null || r.close_status === null
        ? null
        : {
            businessDay: r.business_day,
            closedAt: r.closed_at,
            status: r.close_status,
            differences: r.differences?.fields ?? [],
            missing: r.differences?.missing ?? [],
          };
    return {
      id: r.id,
      name: r.name,
      enrolledAt: r.enrolled_at,
      revokedAt: r.revoked_at,
      lastSeenAt: r.last_seen_at,
      status: terminalStatus({ revokedAt: r.revoked_at, lastSeenAt: r.last_seen_at }, now),
      lastSeq: r.last_seq,
      eventsReceived: r.events_received,
      eventsWaiting: r.events_waiting,
      reportedLastSeq,
      pending: pendingEvents({ lastSeq: r.last_seq, eventsReceived: r.events_received, reportedLastSeq }),
      openReviews: r.open_reviews.map((o) => ({ kind: o.kind, count: Number(o.count) })),
      lastClose,
    };
  });
}

/** Whether a terminal is one of a store's (so a store manager can act on it). */
export async function isStoreTerminal(db: Queryable, storeId: string, terminalId: string): Promise<boolean> {
  const { rowCount } = await db.query('SELECT 1 FROM terminals WHERE id = $1 AND store_id = $2', [
    terminalId,
    storeId,
  ]);
  return rowCount > 0;
}

// ---- cashiers ------------------------------------------------------------------------------------

type CashierRow = { id: string; name: string; role: FleetCashier['role']; deleted: boolean };
const toCashier = (r: CashierRow): FleetCashier => ({
  id: r.id,
  name: r.name,
  role: r.role,
  disabled: r.deleted,
});

/** A store's cashiers and managers by name, disabled ones included. */
export async function listStoreCashiers(db: Queryable, storeId: string): Promise<FleetCashier[]> {
  const { rows } = await db.query<CashierRow>(
    'SELECT id, name, role, deleted FROM cashiers WHERE store_id = $1 ORDER BY name, id',
    [storeId],
  );
  return rows.map(toCashier);
}

export interface CashierChange {
  name?: string | undefined;
  role?: FleetCashier['role'] | undefined;
  disabled?: boolean | undefined;
}

/**
 * Changes a store's cashier in one transaction; only a real change takes a change sequence number (and
 * so reaches the tills). Throws UnknownCashierError for a cashier of another store or none.
 */
export async function changeCashier(
  db: Db,
  storeId: string,
  cashierId: string,
  change: CashierChange,
): Promise<{ cashier: FleetCashier; changed: (keyof CashierChange)[] }> {
  return db.transaction(async (tx) => {
    const before = await lockCashier(tx, storeId, cashierId);
    const after: FleetCashier = {
      ...before,
      ...(change.name === undefined ? {} : { name: change.name }),
      ...(change.role === undefined ? {} : { role: change.role }),
      ...(change.disabled === undefined ? {} : { disabled: change.disabled }),
    };
    const changed = (['name', 'role', 'disabled'] as const).filter((k) => after[k] !== before[k]);
    if (changed.length === 0) return { cashier: before, changed };
    const [seq] = await takeChangeSeqs(tx, 'cashiers');
    await tx.query('UPDATE cashiers SET name = $2, role = $3, deleted = $4, change_seq = $5 WHERE id = $1', [
      cashierId,
      after.name,
      after.role,
      after.disabled,
      seq,
    ]);
    return { cashier: after, changed };
  });
}

/**
 * Gives a store's cashier a new PIN (hashed with a fresh salt) and a new change sequence number, so the
 * tills hear that the cashiers changed and fetch the PIN hashes again. Throws InvalidInputError for a PIN
 * outside the chain's length, UnknownCashierError for a cashier of another store or none.
 */
export async function setCashierPin(
  db: Db,
  storeId: string,
  cashierId: string,
  pin: string,
  options: CashierOptions = {},
): Promise<FleetCashier> {
  const problem = pinLengthProblem(pin, await chainPinLength(db));
  if (problem) throw new InvalidInputError(`pin: ${problem} in this chain`);
  // The slow hash runs before the transaction, so no lock is held while it does.
  const pinHash = hashPin(pin, {
    salt: randomBytes(16),
    ...(options.pinCost === undefined ? {} : { N: options.pinCost }),
  });
  return db.transaction(async (tx) => {
    const cashier = await lockCashier(tx, storeId, cashierId);
    const [seq] = await takeChangeSeqs(tx, 'cashiers');
    await tx.query('UPDATE cashiers SET pin_hash = $2, change_seq = $3 WHERE id = $1', [
      cashierId,
      pinHash,
      seq,
    ]);
    return cashier;
  });
}

async function lockCashier(tx: Queryable, storeId: string, cashierId: string): Promise<FleetCashier> {
  const { rows } = await tx.query<CashierRow>(
    'SELECT id, name, role, deleted FROM cashiers WHERE id = $1 AND store_id = $2 FOR UPDATE',
    [cashierId, storeId],
  );
  if (!rows[0]) throw new UnknownCashierError(cashierId);
  return toCashier(rows[0]);
}

/**
 * A random PIN of the chain's length (six digits when the chain allows it: more than four, fewer to type
 * than eight), never one digit repeated nor a run such as 123456 or 987654, which are the first guesses.
 */
export function makePin(length: PinLength): string {
  const digits = Math.min(Math.max(6, length.min), length.max);
  for (;;) {
    const pin = Array.from({ length: digits }, () => String(randomInt(10))).join('');
    if (!isObviousPin(pin)) return pin;
  }
}

/** One digit repeated, or each digit one more (or one less) than the one before. */
export function isObviousPin(pin: string): boolean {
  const steps = new Set<number>();
  for (let i = 1; i < pin.length; i++) steps.add(Number(pin[i]) - Number(pin[i - 1]));
  return steps.size === 1 && [0, 1, -1].includes([...steps][0] ?? 0);
}
