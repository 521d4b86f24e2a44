// The rows the terminal stores: HQ's verdict merged into a local event row (status wins, content never
// changes), and the name key of prefix search.
import { describe, expect, it } from 'vitest';
import { eventConflictHandler, mergeHqVerdict, nameKey } from '../../../src-renderer/db/rows.js';
import { sealEvent } from '../../../src-shared/ledger/chain.js';
import { eventFactory } from '../../support/events.js';

const TERMINAL = 't-fake';

describe('rows', () => {
  it('merges HQ verdicts: status wins, content never changes, a different content is a conflict', () => {
    const f = eventFactory({ terminalId: TERMINAL });
    const e = f.enrolled('m-1');
    const local = {
      ...mergeHqVerdict(undefined, {
        event: e,
        status: 'posted',
        memberSeq: 1,
        reason: null,
        recordedAt: null,
      }),
      status: 'local' as const,
      memberSeq: null,
    };
    const posted = mergeHqVerdict(local, {
      event: e,
      status: 'flagged',
      memberSeq: 1,
      reason: 'gap',
      recordedAt: '2025-01-01T00:00:00.000Z',
    });
    expect(posted).toMatchObject({ status: 'flagged', memberSeq: 1, reason: 'gap', event: e });
    const other = sealEvent({ ...e, payload: { ...e.payload, welcomeBonus: 9 } }, null);
    const conflict = mergeHqVerdict(local, {
      event: other,
      status: 'posted',
      memberSeq: 1,
      reason: null,
      recordedAt: null,
    });
    expect(conflict).toMatchObject({ status: 'conflict', memberSeq: null, event: e });
    expect(eventConflictHandler.isEqual(local, { ...local }, '')).toBe(true);
    expect(eventConflictHandler.isEqual(local, posted, '')).toBe(false);
    const deleted = { ...local, _deleted: true };
    expect(
      mergeHqVerdict(deleted, { event: e, status: 'posted', memberSeq: 1, reason: null, recordedAt: null }),
    ).toMatchObject({ _deleted: true });
  });

  it('keys names for prefix search without case or accents', () => {
    expect(nameKey("  Zoë  O'Néil ")).toBe('zoe oneil');
    expect(nameKey('ÁNN')).toBe('ann');
  });
});
