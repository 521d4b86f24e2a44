// The review queue: items opened in a transaction roll back with it, list oldest first, filter by status
// and kind, and resolve once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src-hq/db/database.js';
import { listReviews, openReview, openReviews, resolveReview } from '../../../src-hq/store/reviews.js';
import { databases, type TestDatabase } from '../../support/databases.js';
import { uniq } from './helpers.js';

describe.each(databases)('reviews on %s', (_name, open) => {
  let t: TestDatabase;
  let db: Db;
  beforeAll(async () => {
    t = await open();
    db = t.db;
  });
  afterAll(async () => t?.close());

  it('opens, lists, filters and resolves items', async () => {
    const kind = uniq('kind');
    await openReview(db, { kind, memberId: 'm-1', details: { n: 1 } });
    await openReviews(db, [
      { kind, terminalId: 't-1', eventId: 'e-1', details: { n: 2 } },
      { kind: `${kind}-other`, details: {} },
    ]);
    await expect(
      db.transaction(async (tx) => {
        await openReview(tx, { kind, details: { n: 3 } });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    const items = await listReviews(db, { kind });
    expect(
      items.map((i) => [i.memberId, i.terminalId, i.eventId, i.details, i.status, i.resolvedAt]),
    ).toEqual([
      ['m-1', null, null, { n: 1 }, 'open', null],
      [null, 't-1', 'e-1', { n: 2 }, 'open', null],
    ]);
    expect(await listReviews(db, { kind, limit: 1 })).toHaveLength(1);
    const first = items[0]!;
    expect(await resolveReview(db, first.id, '2025-03-10T12:00:00.000Z')).toBe(true);
    expect(await resolveReview(db, first.id, '2025-03-10T12:00:00.000Z')).toBe(false);
    expect((await listReviews(db, { kind, status: 'open' })).map((i) => i.details)).toEqual([{ n: 2 }]);
    expect(await listReviews(db, { kind, status: 'resolved' })).toEqual([
      { ...first, status: 'resolved', resolvedAt: '2025-03-10T12:00:00.000Z' },
    ]);
  });
});
