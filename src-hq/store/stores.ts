// Stores: each terminal belongs to one, and the store's IANA time zone decides its business day (the
// day close) and its local-time rules.
import { isTimeZone } from '../../src-shared/kernel/zoned-time.js';
import type { Queryable } from '../db/database.js';

export interface Store {
  id: string;
  name: string;
  timeZone: string;
  createdAt: string;
}

export interface NewStore {
  id: string;
  name: string;
  timeZone: string;
}

/** Input a store function refuses, in words the caller can show (HTTP: 400). */
export class InvalidInputError extends Error {
  override readonly name = 'InvalidInputError';
}

/** A store id that does not exist. */
export class UnknownStoreError extends Error {
  override readonly name = 'UnknownStoreError';
  constructor(readonly storeId: string) {
    super(`There is no store ${JSON.stringify(storeId)}.`);
  }
}

/** A store created twice. */
export class StoreExistsError extends Error {
  override readonly name = 'StoreExistsError';
  constructor(readonly storeId: string) {
    super(`Store ${JSON.stringify(storeId)} exists already.`);
  }
}

const STORE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

type StoreRow = { id: string; name: string; time_zone: string; created_at: string };
const toStore = (r: StoreRow): Store => ({
  id: r.id,
  name: r.name,
  timeZone: r.time_zone,
  createdAt: r.created_at,
});

/** Creates a store; throws InvalidInputError for a bad id, name or time zone, StoreExistsError for a taken id. */
export async function createStore(db: Queryable, store: NewStore): Promise<Store> {
  if (!STORE_ID.test(store.id)) {
    throw new InvalidInputError('A store id is 1–64 letters, digits, dots, dashes or underscores.');
  }
  const name = store.name.trim();
  if (name.length === 0 || name.length > 120)
    throw new InvalidInputError('A store name is 1–120 characters.');
  if (!isTimeZone(store.timeZone)) {
    throw new InvalidInputError(
      `${JSON.stringify(store.timeZone)} is not an IANA time zone (e.g. Europe/Paris).`,
    );
  }
  const { rows } = await db.query<StoreRow>(
    `INSERT INTO stores (id, name, time_zone) VALUES ($1, $2, $3)
     ON CONFLICT (id) DO NOTHING
     RETURNING id, name, time_zone, created_at`,
    [store.id, name, store.timeZone],
  );
  const row = rows[0];
  if (!row) throw new StoreExistsError(store.id);
  return toStore(row);
}

export async function getStore(db: Queryable, id: string): Promise<Store | null> {
  const { rows } = await db.query<StoreRow>(
    'SELECT id, name, time_zone, created_at FROM stores WHERE id = $1',
    [id],
  );
  return rows[0] ? toStore(rows[0]) : null;
}

export async function listStores(db: Queryable): Promise<Store[]> {
  const { rows } = await db.query<StoreRow>('SELECT id, name, time_zone, created_at FROM stores ORDER BY id');
  return rows.map(toStore);
}
