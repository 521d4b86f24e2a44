// The chain's phone key (docs/architecture.md, "Phone lookup key: threat model and cost"): 32 random bytes
// HQ makes once and keeps in its settings table, handed to each terminal with its credential, with which
// HQ and the terminals' main processes turn a phone number into its keyed, slow lookup key
// (src-shared/ledger/phone.ts phoneLookupKey; here on node:crypto's scrypt, off the event loop).
//
// Right after the SQL migrations (preparePhoneLookup, called by migrate), HQ makes the key if it has none
// and re-derives, once, the lookup key of the members that carry the legacy unkeyed hash: from the phone
// their profile holds in plain text. A member whose current hash is not the legacy hash of that phone
// (no profile phone, or a phone changed since by a member-updated event, which carries no plain number)
// loses its lookup by phone: HQ knows no number to derive it from. Rows are updated with new change
// numbers, so terminals pull the keyed values and the legacy ones leave every replica. Progress is saved
// per batch, so a cut run resumes where it stopped; once done it is recorded and never runs again.
import { scrypt as nodeScryptCallback } from 'node:crypto';
import {
  normalisePhone,
  phoneHash as legacyPhoneHash,
  phoneKeySchema,
  phoneLookupKey,
  type Scrypt,
} from '../../src-shared/ledger/phone.js';
import type { Db, Queryable } from '../db/database.js';
import { takeChangeSeqs } from './changes.js';
import { lockMemberIds } from './member-locks.js';
import { ensureSecretSetting, saveSetting, setting } from './settings.js';

const KEY_SETTING = 'phone_key';
const DONE_SETTING = 'phone_lookup';
const AFTER_SETTING = 'phone_lookup_after';
/** The derivation re-derived rows carry; a new derivation (label v2) would re-derive again. */
const DONE_VALUE = 'v1';
const BATCH = 200;

/** node:crypto's scrypt (native, on libuv's thread pool, so several derivations run at once). */
export const hqScrypt: Scrypt = (password, salt, { N, r, p, dkLen }) =>
  new Promise((resolve, reject) => {
    // maxmem above scrypt's 128·N·r bytes (Node's default of 32 MiB would refuse a larger N).
    nodeScryptCallback(password, salt, dkLen, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(new Uint8Array(key.buffer, key.byteOffset, key.byteLength)),
    );
  });

/** The chain's phone key, made now if HQ has none (two HQs starting together keep the first one made). */
export async function ensurePhoneKey(db: Queryable): Promise<string> {
  await ensureSecretSetting(db, KEY_SETTING);
  return getPhoneKey(db);
}

/** The chain's phone key; throws when HQ has none (the database was not migrated by this HQ). */
export async function getPhoneKey(db: Queryable): Promise<string> {
  const key = phoneKeySchema.safeParse(await setting(db, KEY_SETTING));
  if (!key.success) throw new Error('HQ has no phone key: run the migrations (npm run hq -- migrate)');
  return key.data;
}

/** Derives the lookup keys of normalised numbers under HQ's phone key (null stays null), all at once. */
export async function phoneLookupKeys(
  db: Queryable,
  numbers: readonly (string | null)[],
): Promise<(string | null)[]> {
  if (numbers.every((n) => n === null)) return numbers.map(() => null);
  const key = await getPhoneKey(db);
  return Promise.all(
    numbers.map((n) => (n === null ? Promise.resolve(null) : phoneLookupKey(n, key, hqScrypt))),
  );
}

/** Makes the phone key if needed, then re-derives the members' legacy hashes once. */
export async function preparePhoneLookup(db: Db): Promise<{ rederived: number; cleared: number }> {
  const key = await ensurePhoneKey(db);
  if ((await setting(db, DONE_SETTING)) === DONE_VALUE) return { rederived: 0, cleared: 0 };
  const { rows: countryRows } = await db.query<{ country: string }>(
    'SELECT DISTINCT country FROM stores ORDER BY country',
  );
  // A profile phone may be as typed at a till (national form): read it in each of the chain's countries.
  const countries = countryRows.length > 0 ? countryRows.map((r) => r.country) : ['IE'];
  let after = (await setting(db, AFTER_SETTING)) ?? '';
  const totals = { rederived: 0, cleared: 0 };
  for (;;) {
    const { rows } = await db.query<{ id: string; phone_hash: string; phone: string | null }>(
      `SELECT m.id, m.phone_hash, p.phone FROM members m LEFT JOIN member_profiles p ON p.member_id = m.id
       WHERE m.id > $1 AND m.phone_hash IS NOT NULL ORDER BY m.id LIMIT $2`,
      [after, BATCH],
    );
    if (rows.length === 0) break;
    // The slow part outside any transaction: no lock is held while scrypt runs.
    const decided = await Promise.all(
      rows.map(async (r) => ({ id: r.id, old: r.phone_hash, next: await rederive(r, countries, key) })),
    );
    const changes = decided.filter((d) => d.next !== d.old);
    after = rows[rows.length - 1]!.id;
    await db.transaction(async (tx) => {
      if (changes.length > 0) {
        await lockMemberIds(
          tx,
          changes.map((c) => c.id),
        );
        const seqs = await takeChangeSeqs(tx, 'members', changes.length);
        // Only rows still holding the hash read above: a writer that got in meanwhile wrote a new value.
        await tx.query(
          `UPDATE members m SET phone_hash = x.next,
             doc = jsonb_set(m.doc, '{phoneHash}', COALESCE(to_jsonb(x.next), 'null'::jsonb)),
             change_seq = x.seq
           FROM jsonb_to_recordset($1::jsonb) AS x(id text, old text, next text, seq bigint)
           WHERE m.id = x.id AND m.phone_hash = x.old`,
          [JSON.stringify(changes.map((c, n) => ({ ...c, seq: seqs[n] })))],
        );
      }
      await saveSetting(tx, AFTER_SETTING, after);
    });
    for (const c of changes) totals[c.next === null ? 'cleared' : 'rederived'] += 1;
  }
  await saveSetting(db, DONE_SETTING, DONE_VALUE);
  return totals;
}

/**
 * A member's new lookup key: the keyed value of the profile phone whose legacy hash the row holds; the
 * row's own value when it is already that number's keyed value (a resumed run); otherwise null.
 */
async function rederive(
  row: { phone_hash: string; phone: string | null },
  countries: readonly string[],
  key: string,
): Promise<string | null> {
  if (row.phone === null) return null;
  const numbers = new Set(
    countries.map((c) => normalisePhone(row.phone ?? '', c)).filter((n): n is string => n !== null),
  );
  for (const number of numbers) {
    const keyed = await phoneLookupKey(number, key, hqScrypt);
    if (legacyPhoneHash(number) === row.phone_hash || keyed === row.phone_hash) return keyed;
  }
  return null;
}
