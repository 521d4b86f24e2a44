// Stores: each terminal belongs to one, and the store's IANA time zone decides its business day (the
// day close) and its local-time rules; its country decides how a phone number typed without its
// international prefix is read; its counter settings (idle timeouts, the nightly close time) go to its
// tills (GET /v1/store-settings).
import { isTimeZone } from '../../src-shared/kernel/zoned-time.js';
import { isPhoneCountry } from '../../src-shared/ledger/phone.js';
import {
  storeSettingsChangeSchema,
  type StoreSettings,
  type StoreSettingsChange,
} from '../../src-shared/sync/wire.js';
import type { Queryable } from '../db/database.js';

export interface Store {
  id: string;
  name: string;
  timeZone: string;
  /** ISO 3166-1 alpha-2, e.g. `IE`. */
  country: string;
  createdAt: string;
}

export interface NewStore {
  id: string;
  name: string;
  timeZone: string;
  /** ISO 3166-1 alpha-2, either case; omitted, the chain's country (`IE`, the column's default). */
  country?: string;
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

type StoreRow = { id: string; name: string; time_zone: string; country: string; created_at: string };
const toStore = (r: StoreRow): Store => ({
  id: r.id,
  name: r.name,
  timeZone: r.time_zone,
  country: r.country,
  createdAt: r.created_at,
});
const COLUMNS = 'id, name, time_zone, country, created_at';

/**
 * Creates a store; throws InvalidInputError for a bad id, name, time zone or country, StoreExistsError for a
 * taken id.
 */
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
  const country = store.country?.trim().toUpperCase();
  if (country !== undefined && !isPhoneCountry(country)) {
    throw new InvalidInputError(
      `${JSON.stringify(store.country)} is not an ISO 3166-1 alpha-2 country with a phone numbering plan (e.g. IE).`,
    );
  }
  // Without a country the column's default (the chain's country) applies.
  const values = [store.id, name, store.timeZone, ...(country === undefined ? [] : [country])];
  const { rows } = await db.query<StoreRow>(
    `INSERT INTO stores (id, name, time_zone${country === undefined ? '' : ', country'})
     VALUES ($1, $2, $3${country === undefined ? '' : ', $4'})
     ON CONFLICT (id) DO NOTHING
     RETURNING ${COLUMNS}`,
    values,
  );
  const row = rows[0];
  if (!row) throw new StoreExistsError(store.id);
  return toStore(row);
}

export async function getStore(db: Queryable, id: string): Promise<Store | null> {
  const { rows } = await db.query<StoreRow>(`SELECT ${COLUMNS} FROM stores WHERE id = $1`, [id]);
  return rows[0] ? toStore(rows[0]) : null;
}

export async function listStores(db: Queryable): Promise<Store[]> {
  const { rows } = await db.query<StoreRow>(`SELECT ${COLUMNS} FROM stores ORDER BY id`);
  return rows.map(toStore);
}

type SettingsRow = {
  member_idle_seconds: number;
  sign_out_idle_minutes: number;
  close_at: string;
  locale: string;
};
const toSettings = (r: SettingsRow): StoreSettings => ({
  memberIdleSeconds: r.member_idle_seconds,
  signOutIdleMinutes: r.sign_out_idle_minutes,
  closeAt: r.close_at,
  locale: r.locale,
});
const SETTINGS_COLUMNS = 'member_idle_seconds, sign_out_idle_minutes, close_at, locale';

/** A store's counter settings (idle timeouts, close time, locale); throws UnknownStoreError. */
export async function getStoreSettings(db: Queryable, id: string): Promise<StoreSettings> {
  const { rows } = await db.query<SettingsRow>(`SELECT ${SETTINGS_COLUMNS} FROM stores WHERE id = $1`, [id]);
  if (!rows[0]) throw new UnknownStoreError(id);
  return toSettings(rows[0]);
}

/**
 * Changes some of a store's counter settings and returns them all; throws InvalidInputError for a value
 * outside the wire schema's bounds (the same bounds the terminal checks), UnknownStoreError for no store.
 * Tills fetch them again on their next stream (re)connection.
 */
export async function setStoreSettings(
  db: Queryable,
  id: string,
  change: StoreSettingsChange,
): Promise<StoreSettings> {
  const checked = storeSettingsChangeSchema.safeParse(change);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new InvalidInputError(`${issue?.path.join('.') ?? 'settings'}: ${issue?.message ?? 'invalid'}`);
  }
  const { memberIdleSeconds, signOutIdleMinutes, closeAt, locale } = checked.data;
  const { rows } = await db.query<SettingsRow>(
    `UPDATE stores SET
       member_idle_seconds = COALESCE($2, member_idle_seconds),
       sign_out_idle_minutes = COALESCE($3, sign_out_idle_minutes),
       close_at = COALESCE($4, close_at),
       locale = COALESCE($5, locale)
     WHERE id = $1
     RETURNING ${SETTINGS_COLUMNS}`,
    [id, memberIdleSeconds ?? null, signOutIdleMinutes ?? null, closeAt ?? null, locale ?? null],
  );
  if (!rows[0]) throw new UnknownStoreError(id);
  return toSettings(rows[0]);
}
