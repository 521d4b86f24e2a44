// The chain's phone key and the one-time re-derivation of members' legacy phone hashes, on both databases:
// keyed from the profile phone whose legacy hash the row holds, cleared when HQ holds no such phone, new
// change numbers so terminals pull the keyed values, and idempotent (a second run, or a run started again
// from scratch, changes nothing).
import { describe, expect, it } from 'vitest';
import { pushEvents } from '../../../src-hq/store/ingest.js';
import { findMembers } from '../../../src-hq/store/members.js';
import { ensurePhoneKey, getPhoneKey, preparePhoneLookup } from '../../../src-hq/store/phone-key.js';
import { pull } from '../../../src-hq/store/pull.js';
import { phoneHash as legacyHash, phoneLookupKey } from '../../../src-shared/ledger/phone.js';
import { databases, testDatabase } from '../../support/databases.js';
import { clockAt, publishTestProgram, terminalWithFactory, uniq } from './helpers.js';

const clock = clockAt();
const profile = (phone: string | null) => ({ firstName: 'Ann', lastName: 'B', email: null, phone });

describe.each(databases)('the phone key on %s', { timeout: 60_000 }, (_name, open) => {
  const db = testDatabase(open, publishTestProgram);

  it('is made once: 32 random bytes in hex, the same on every call', async () => {
    const key = await ensurePhoneKey(db);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(await ensurePhoneKey(db)).toBe(key);
    expect(await getPhoneKey(db)).toBe(key);
  });

  it('re-derives legacy hashes from the profiles once, clears those HQ cannot derive', async () => {
    const { terminal, f } = await terminalWithFactory(db);
    await db.query("UPDATE stores SET country = 'IE' WHERE id = $1", [terminal.storeId]);
    const [a, b, c, d, e] = ['a', 'b', 'c', 'd', 'e'].map((x) => uniq(`m-${x}`)) as [
      string,
      string,
      string,
      string,
      string,
    ];
    await pushEvents(
      db,
      terminal,
      [
        // International in the profile; national (Irish, the store's country) in the profile.
        f.enrolled(a, { phoneHash: legacyHash('+33612345678'), profile: profile('+33 6 12 34 56 78') }),
        f.enrolled(b, { phoneHash: legacyHash('+353871234567'), profile: profile('087 123 4567') }),
        // No profile phone; a profile phone that is not the number hashed (changed by an update since).
        f.enrolled(c, { phoneHash: legacyHash('+353861111111'), profile: null }),
        f.enrolled(d, { phoneHash: legacyHash('+353862222222'), profile: profile('+353 86 333 3333') }),
        f.enrolled(e, { phoneHash: null, profile: null }),
      ],
      clock,
    );
    const seqs = async () =>
      new Map(
        (
          await db.query<{ id: string; change_seq: string }>(
            'SELECT id, change_seq FROM members WHERE id = ANY($1::text[])',
            [[a, b, c, d, e]],
          )
        ).rows.map((r) => [r.id, Number(r.change_seq)]),
      );
    const before = await seqs();
    // The migrations ran on an empty database: start the re-derivation again as on an upgraded HQ.
    await db.query("DELETE FROM settings WHERE name IN ('phone_lookup', 'phone_lookup_after')");
    expect(await preparePhoneLookup(db)).toEqual({ rederived: 2, cleared: 2 });

    const key = await getPhoneKey(db);
    const keyedA = await phoneLookupKey('+33612345678', key);
    const keyedB = await phoneLookupKey('+353871234567', key);
    const rows = await db.query<{ id: string; phone_hash: string | null; doc_hash: string | null }>(
      `SELECT id, phone_hash, doc->>'phoneHash' AS doc_hash FROM members WHERE id = ANY($1::text[]) ORDER BY id`,
      [[a, b, c, d, e]],
    );
    const byId = new Map(rows.rows.map((r) => [r.id, r]));
    expect(byId.get(a)).toMatchObject({ phone_hash: keyedA, doc_hash: keyedA });
    expect(byId.get(b)).toMatchObject({ phone_hash: keyedB, doc_hash: keyedB });
    for (const id of [c, d, e]) expect(byId.get(id)).toMatchObject({ phone_hash: null, doc_hash: null });
    // Lookup by the keyed value works; by the legacy one, nothing.
    expect((await findMembers(db, { phoneHash: keyedA })).map((m) => m.id)).toEqual([a]);
    expect(await findMembers(db, { phoneHash: legacyHash('+33612345678') })).toEqual([]);
    // Changed rows have new change numbers (terminals pull them); the untouched one keeps its own.
    const after = await seqs();
    for (const id of [a, b, c, d]) expect(after.get(id)).toBeGreaterThan(before.get(id)!);
    expect(after.get(e)).toBe(before.get(e));
    // What terminals pull holds the keyed values, and never a legacy hash or the phone key.
    const pulled = JSON.stringify(await pull(db, 'members', { limit: 1000 }, terminal));
    expect(pulled).toContain(keyedA);
    expect(pulled).not.toContain(legacyHash('+33612345678'));
    expect(pulled).not.toContain(key);

    // Done: a second run changes nothing; nor does a run started again from scratch.
    expect(await preparePhoneLookup(db)).toEqual({ rederived: 0, cleared: 0 });
    await db.query("DELETE FROM settings WHERE name IN ('phone_lookup', 'phone_lookup_after')");
    expect(await preparePhoneLookup(db)).toEqual({ rederived: 0, cleared: 0 });
    expect(await seqs()).toEqual(after);
  });
});
