// Stores, enrollment codes and tokens at the store level: single use under a race, hashing, revocation,
// admin tokens; and the close figures both ends compute.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import {
  createStore,
  InvalidInputError,
  listStores,
  StoreExistsError,
} from '../../../src-hq/store/stores.js';
import {
  authenticateAdmin,
  authenticateTerminal,
  createAdminToken,
  createEnrollmentCode,
  EnrollmentCodeError,
  enrollTerminal,
  revokeTerminal,
} from '../../../src-hq/store/terminals.js';
import { isCalendarDate } from '../../../src-hq/store/closes.js';
import { ManualClock, HOUR_MS } from '../../../src-shared/kernel/clock.js';
import { closeFiguresFromEvents, closePointFlows } from '../../../src-shared/sync/wire.js';
import { databases, type TestDatabase } from '../../support/databases.js';
import { eventFactory } from '../../support/events.js';

describe.each(databases)('credentials on %s', (_name, open) => {
  // One database for the file (a PGlite takes a while to create): each test uses stores of its own.
  let t: TestDatabase;
  beforeAll(async () => {
    t = await open();
  });
  afterAll(async () => t.close());

  it('enrolls exactly one terminal when two race with one code', async () => {
    const { db } = t;
    const clock = new ManualClock(Date.parse('2025-03-03T12:00:00Z'));
    await createStore(db, { id: 'race', name: 'One', timeZone: 'Europe/Paris' });
    const { code } = await createEnrollmentCode(db, 'race', clock);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 5 }, (_, i) => enrollTerminal(db, code, `Till ${i}`, clock)),
    );
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const lost = outcomes.filter((o) => o.status === 'rejected');
    expect(won).toHaveLength(1);
    for (const o of lost) {
      expect(o.reason).toBeInstanceOf(EnrollmentCodeError);
      expect((o.reason as EnrollmentCodeError).problem).toBe('used');
    }
    const terminals = await db.query("SELECT id FROM terminals WHERE store_id = 'race'");
    expect(terminals.rowCount).toBe(1);
    const enrolled = won[0]?.status === 'fulfilled' ? won[0].value : null;
    expect(enrolled).not.toBeNull();
    const usedBy = await db.query<{ terminal_id: string }>(
      "SELECT terminal_id FROM enrollment_codes WHERE store_id = 'race'",
    );
    expect(usedBy.rows).toEqual([{ terminal_id: enrolled?.terminalId }]);
  });

  it('stores tokens as SHA-256 and forgets revoked ones', async () => {
    const { db } = t;
    const clock = new ManualClock(Date.parse('2025-03-03T12:00:00Z'));
    await createStore(db, { id: 'hashing', name: 'One', timeZone: 'Europe/Paris' });
    const { code, expiresAt } = await createEnrollmentCode(db, 'hashing', clock, { ttlHours: 2 });
    expect(expiresAt).toBe('2025-03-03T14:00:00.000Z');
    const { terminalId, storeId, token } = await enrollTerminal(db, code, 'Till', clock);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    const { rows } = await db.query<{ token_hash: string }>(
      'SELECT token_hash FROM terminals WHERE id = $1',
      [terminalId],
    );
    expect(rows[0]?.token_hash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(await authenticateTerminal(db, token)).toEqual({ id: terminalId, storeId });
    expect(await authenticateTerminal(db, `${token}x`)).toBeNull();
    expect(await authenticateTerminal(db, '')).toBeNull();

    clock.advance(HOUR_MS);
    const revoked = await revokeTerminal(db, terminalId, clock);
    expect(revoked).toEqual({ terminalId, revokedAt: '2025-03-03T13:00:00.000Z' });
    clock.advance(HOUR_MS);
    expect(await revokeTerminal(db, terminalId, clock)).toEqual(revoked);
    expect(await authenticateTerminal(db, token)).toBeNull();
    expect(await revokeTerminal(db, 'nobody', clock)).toBeNull();
  });

  it('makes admin tokens that authenticate', async () => {
    const token = await createAdminToken(t.db, 'ops');
    expect(await authenticateAdmin(t.db, token)).toBe(true);
    expect(await authenticateAdmin(t.db, token.slice(1))).toBe(false);
    await t.db.query("UPDATE admin_tokens SET revoked_at = now() WHERE name = 'ops'");
    expect(await authenticateAdmin(t.db, token)).toBe(false);
  });

  it('checks stores', async () => {
    await createStore(t.db, { id: 'b', name: ' B ', timeZone: 'Asia/Tokyo' });
    await createStore(t.db, { id: 'a', name: 'A', timeZone: 'UTC' });
    await expect(createStore(t.db, { id: 'a', name: 'A', timeZone: 'UTC' })).rejects.toBeInstanceOf(
      StoreExistsError,
    );
    await expect(createStore(t.db, { id: 'c', name: 'C', timeZone: 'Nowhere/Else' })).rejects.toBeInstanceOf(
      InvalidInputError,
    );
    await expect(createStore(t.db, { id: 'bad id', name: 'C', timeZone: 'UTC' })).rejects.toBeInstanceOf(
      InvalidInputError,
    );
    const listed = (await listStores(t.db)).map((s) => [s.id, s.name, s.timeZone]);
    expect(listed.filter(([id]) => id === 'a' || id === 'b')).toEqual([
      ['a', 'A', 'UTC'],
      ['b', 'B', 'Asia/Tokyo'],
    ]);
  });
});

describe('close figures', () => {
  it('counts credits as issued and debits as redeemed, voids the other way', () => {
    const f = eventFactory({ terminalId: 't-1' });
    const enrolled = f.enrolled('m-1', { welcomeBonus: 50 });
    const earned = f.earned('m-1', 120);
    const redeemed = f.redeemed('m-1', 30);
    const plus = f.adjusted('m-1', 7);
    const minus = f.adjusted('m-1', -4);
    const bonus = f.bonus('m-1', 10);
    const voidEarn = f.voided(earned);
    const voidRedeem = f.voided(redeemed);
    const updated = f.updated('m-1', { displayName: 'Ada B.' });
    expect(closePointFlows(enrolled)).toEqual({ issued: 50, redeemed: 0 });
    expect(closePointFlows(voidEarn)).toEqual({ issued: 0, redeemed: 120 });
    expect(closePointFlows(voidRedeem)).toEqual({ issued: 30, redeemed: 0 });
    expect(closePointFlows(updated)).toEqual({ issued: 0, redeemed: 0 });
    const all = [enrolled, earned, redeemed, plus, minus, bonus, voidEarn, voidRedeem, updated];
    expect(closeFiguresFromEvents('2025-03-03', [...all].reverse())).toEqual({
      businessDay: '2025-03-03',
      firstSeq: 1,
      lastSeq: 9,
      count: 9,
      lastHash: updated.hash,
      pointsIssued: 50 + 120 + 7 + 10 + 30,
      pointsRedeemed: 30 + 4 + 120,
    });
    expect(closeFiguresFromEvents('2025-03-04', [])).toEqual({
      businessDay: '2025-03-04',
      firstSeq: 0,
      lastSeq: 0,
      count: 0,
      lastHash: null,
      pointsIssued: 0,
      pointsRedeemed: 0,
    });
  });

  it('knows calendar dates', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2025-02-29')).toBe(false);
    expect(isCalendarDate('2025-13-01')).toBe(false);
    expect(isCalendarDate('2025-1-01')).toBe(false);
  });
});
