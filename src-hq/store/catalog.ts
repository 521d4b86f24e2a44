// The catalog HQ owns and terminals replicate: products (SKU/GTIN → name, category, price) and the cashiers
// of each store (their PIN hashes stay here: a terminal's main process fetches them with listStaffPins, and
// replication carries no hash toward the renderer). Every write takes change sequence numbers in its own transaction, as
// late as possible (store/changes.ts), and only for rows that really change, so re-importing the same file
// does not make every terminal pull the whole catalog again.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { hashPin, pinLengthProblem, pinProblem, PIN_LENGTH_LIMITS } from '../../src-shared/kernel/pin.js';
import {
  cashierRoleSchema,
  productDocSchema,
  type CashierDoc,
  type ProductDoc,
  type StaffPin,
} from '../../src-shared/sync/wire.js';
import type { Db, Queryable } from '../db/database.js';
import { takeChangeSeqs } from './changes.js';
import { currentProgram } from './programs.js';
import { UnknownStoreError } from './stores.js';

/** A product as written by an import or an admin: the document without its tombstone flag, which is optional. */
export type ProductInput = Omit<ProductDoc, '_deleted'> & { _deleted?: boolean };

export interface UpsertSummary {
  inserted: number;
  updated: number;
  unchanged: number;
}

/** A products row as selected by `SELECT sku, gtin, name, category, price, currency, deleted, change_seq`. */
export type ProductRow = {
  sku: string;
  gtin: string | null;
  name: string;
  category: string;
  price: number;
  currency: string;
  deleted: boolean;
  change_seq: number;
};

export const toProductDoc = (r: ProductRow): ProductDoc => ({
  sku: r.sku,
  gtin: r.gtin,
  name: r.name,
  category: r.category,
  price: r.price,
  currency: r.currency,
  _deleted: r.deleted,
});

const sameProduct = (a: ProductDoc, b: ProductDoc): boolean =>
  a.gtin === b.gtin &&
  a.name === b.name &&
  a.category === b.category &&
  a.price === b.price &&
  a.currency === b.currency &&
  a._deleted === b._deleted;

/**
 * Inserts or updates products in one transaction. Each row is validated against the wire document (a
 * ZodError names the first bad one) and a SKU may appear once per call. Rows identical to what HQ holds
 * keep their change sequence number.
 */
export async function upsertProducts(db: Db, rows: readonly ProductInput[]): Promise<UpsertSummary> {
  const docs = rows.map((r) => productDocSchema.parse({ ...r, _deleted: r._deleted ?? false }));
  const seen = new Set<string>();
  for (const d of docs) {
    if (seen.has(d.sku)) throw new RangeError(`SKU ${d.sku} appears twice in one upsert`);
    seen.add(d.sku);
  }
  if (docs.length === 0) return { inserted: 0, updated: 0, unchanged: 0 };
  return db.transaction(async (tx) => {
    const existing = await tx.query<ProductRow>(
      `SELECT sku, gtin, name, category, price, currency, deleted, change_seq FROM products
       WHERE sku = ANY($1::text[]) FOR UPDATE`,
      [docs.map((d) => d.sku)],
    );
    const current = new Map(existing.rows.map((r) => [r.sku, toProductDoc(r)]));
    const changed = docs.filter((d) => {
      const before = current.get(d.sku);
      return !before || !sameProduct(before, d);
    });
    const summary = {
      inserted: changed.filter((d) => !current.has(d.sku)).length,
      updated: changed.filter((d) => current.has(d.sku)).length,
      unchanged: docs.length - changed.length,
    };
    if (changed.length === 0) return summary;
    const seqs = await takeChangeSeqs(tx, 'products', changed.length);
    await tx.query(
      `INSERT INTO products (sku, gtin, name, category, price, currency, deleted, change_seq)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[],
                            $7::boolean[], $8::bigint[])
       ON CONFLICT (sku) DO UPDATE SET gtin = excluded.gtin, name = excluded.name,
         category = excluded.category, price = excluded.price, currency = excluded.currency,
         deleted = excluded.deleted, change_seq = excluded.change_seq`,
      [
        changed.map((d) => d.sku),
        changed.map((d) => d.gtin),
        changed.map((d) => d.name),
        changed.map((d) => d.category),
        changed.map((d) => d.price),
        changed.map((d) => d.currency),
        changed.map((d) => d._deleted),
        seqs,
      ],
    );
    return summary;
  });
}

export async function getProduct(db: Queryable, sku: string): Promise<ProductDoc | null> {
  const { rows } = await db.query<ProductRow>(
    'SELECT sku, gtin, name, category, price, currency, deleted, change_seq FROM products WHERE sku = $1',
    [sku],
  );
  return rows[0] ? toProductDoc(rows[0]) : null;
}

/** Products by SKU, a page at a time (`after` is the last SKU of the previous page); tombstones left out. */
export async function listProducts(
  db: Queryable,
  options: { after?: string; limit?: number; includeDeleted?: boolean } = {},
): Promise<ProductDoc[]> {
  const limit = Math.min(Math.max(options.limit ?? 100, 1), 5_000);
  const { rows } = await db.query<ProductRow>(
    `SELECT sku, gtin, name, category, price, currency, deleted, change_seq FROM products
     WHERE ($1::text IS NULL OR sku > $1) AND ($2::boolean OR NOT deleted)
     ORDER BY sku LIMIT $3`,
    [options.after ?? null, options.includeDeleted ?? false, limit],
  );
  return rows.map(toProductDoc);
}

export async function countProducts(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    'SELECT count(*)::bigint AS n FROM products WHERE NOT deleted',
  );
  return rows[0]?.n ?? 0;
}

// ---- cashiers ------------------------------------------------------------------------------------

export const newCashierSchema = z
  .object({
    id: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, '1–64 letters, digits, dots, dashes or underscores'),
    storeId: z.string().min(1).max(64),
    name: z.string().trim().min(1, 'a name is required').max(80),
    role: cashierRoleSchema,
    pin: z.string().refine((p) => pinProblem(p) === null, 'a PIN is 4 to 8 digits'),
  })
  .strict();
export type NewCashier = z.input<typeof newCashierSchema>;

/** A cashier id taken already. */
export class CashierExistsError extends Error {
  override readonly name = 'CashierExistsError';
  constructor(readonly cashierId: string) {
    super(`Cashier ${JSON.stringify(cashierId)} exists already.`);
  }
}

export interface CashierOptions {
  /** scrypt cost for the PIN hash (tests lower it). */
  pinCost?: number;
}

/** A cashiers row as selected by `SELECT id, store_id, name, role, deleted` (never the PIN hash). */
export type CashierRow = {
  id: string;
  store_id: string;
  name: string;
  role: 'cashier' | 'manager';
  deleted: boolean;
};
export const toCashierDoc = (r: CashierRow): CashierDoc => ({
  id: r.id,
  storeId: r.store_id,
  name: r.name,
  role: r.role,
  _deleted: r.deleted,
});

/**
 * The chain's PIN length: the current program's `staff.pinLength`, or 4–8 digits before any program is
 * published.
 */
export async function chainPinLength(db: Queryable): Promise<{ min: number; max: number }> {
  const program = await currentProgram(db);
  return program?.staff.pinLength ?? PIN_LENGTH_LIMITS;
}

/**
 * Adds a cashier or manager to a store; the PIN is stored only as a salted scrypt hash and must have the
 * chain's length (chainPinLength). Throws a ZodError for bad fields, UnknownStoreError and CashierExistsError.
 */
export async function addCashier(
  db: Db,
  input: NewCashier,
  options: CashierOptions = {},
): Promise<CashierDoc> {
  const length = await chainPinLength(db);
  const cashier = newCashierSchema
    .refine((c) => pinLengthProblem(c.pin, length) === null, {
      message: pinLengthProblem('', length) ?? '',
      path: ['pin'],
    })
    .parse(input);
  // The slow hash runs before the transaction, so no lock is held while it does.
  const pinHash = hashPin(
    cashier.pin,
    options.pinCost === undefined ? { salt: randomBytes(16) } : { salt: randomBytes(16), N: options.pinCost },
  );
  return db.transaction(async (tx) => {
    const store = await tx.query('SELECT 1 FROM stores WHERE id = $1', [cashier.storeId]);
    if (store.rowCount === 0) throw new UnknownStoreError(cashier.storeId);
    const taken = await tx.query('SELECT 1 FROM cashiers WHERE id = $1', [cashier.id]);
    if (taken.rowCount > 0) throw new CashierExistsError(cashier.id);
    const [seq] = await takeChangeSeqs(tx, 'cashiers');
    const { rows } = await tx.query<CashierRow>(
      `INSERT INTO cashiers (id, store_id, name, role, pin_hash, change_seq) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (id) DO NOTHING
       RETURNING id, store_id, name, role, deleted`,
      [cashier.id, cashier.storeId, cashier.name, cashier.role, pinHash, seq],
    );
    if (!rows[0]) throw new CashierExistsError(cashier.id);
    return toCashierDoc(rows[0]);
  });
}

/** A store's cashiers (or every store's), by name; removed ones left out. */
export async function listCashiers(db: Queryable, options: { storeId?: string } = {}): Promise<CashierDoc[]> {
  const { rows } = await db.query<CashierRow>(
    `SELECT id, store_id, name, role, deleted FROM cashiers
     WHERE NOT deleted AND ($1::text IS NULL OR store_id = $1) ORDER BY store_id, name, id`,
    [options.storeId ?? null],
  );
  return rows.map(toCashierDoc);
}

/**
 * A store's current cashiers and managers with their PIN hashes, by id: what GET /v1/staff-pins sends to
 * a terminal's main process, the only place PINs are checked. Removed staff are left out, so a terminal
 * that refreshes forgets their PIN.
 */
export async function listStaffPins(db: Queryable, storeId: string): Promise<StaffPin[]> {
  const { rows } = await db.query<{ id: string; name: string; role: StaffPin['role']; pin_hash: string }>(
    `SELECT id, name, role, pin_hash FROM cashiers WHERE NOT deleted AND store_id = $1 ORDER BY id`,
    [storeId],
  );
  return rows.map((r) => ({ id: r.id, name: r.name, role: r.role, pinHash: r.pin_hash }));
}
