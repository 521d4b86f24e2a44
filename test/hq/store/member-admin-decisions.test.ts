// The pure decisions of the member administration (src-shared/members): what one search box means, which
// adjustments a role may make, the adjustment pair a merge moves points with, what erasure redacts from
// an event, and an event's state in a member's history.
import { describe, expect, it } from 'vitest';
import { adjustmentCap, refuseAdjustment } from '../../../src-shared/members/adjustment.js';
import { erasedName, redactEvent } from '../../../src-shared/members/erase.js';
import { claimedPoints, eventState } from '../../../src-shared/members/history.js';
import { mergeTransfer } from '../../../src-shared/members/merge.js';
import { likePrefix, planMemberSearch } from '../../../src-shared/members/search-query.js';
import { MAX_POINTS } from '../../../src-shared/kernel/points.js';
import { eventFactory } from '../../support/events.js';

const caps = { cashier: 0, manager: 1000 };

describe('member administration decisions', () => {
  it('reads one search box as card, phone, e-mail or name', () => {
    expect(planMemberSearch(' 0400 0000 0017 ')).toEqual({
      cards: ['0400 0000 0017', '040000000017'],
      phone: '0400 0000 0017',
      email: null,
      name: null,
    });
    expect(planMemberSearch('+353 87 123 4567').phone).toBe('+353 87 123 4567');
    expect(planMemberSearch('12345').phone).toBeNull();
    expect(planMemberSearch('Ada.L@Example.org')).toMatchObject({ email: 'ada.l@example.org', name: null });
    expect(planMemberSearch('  Ada   Lovelace King ')).toMatchObject({
      name: ['ada', 'lovelace'],
      phone: null,
    });
    expect(planMemberSearch('Éloïse').name).toEqual(['éloïse']);
    expect(likePrefix('50%_off\\')).toBe('50\\%\\_off\\\\%');
  });

  it('caps credits by role and never lets a debit take more than the member can spend', () => {
    expect([adjustmentCap('admin', caps), adjustmentCap('program-manager', caps)]).toEqual([
      MAX_POINTS,
      1000,
    ]);
    expect([adjustmentCap('store-manager', caps), adjustmentCap('analyst', caps)]).toEqual([1000, null]);
    const check = (role: Parameters<typeof adjustmentCap>[0], points: number, spendable = 50) =>
      refuseAdjustment({ role, caps, points, spendable })?.code ?? null;
    expect(check('program-manager', 1000)).toBeNull();
    expect(check('program-manager', 1001)).toBe('over-cap');
    expect(check('admin', 1001)).toBeNull();
    expect(check('analyst', 1)).toBe('not-allowed');
    expect(check('store-manager', -50)).toBeNull();
    expect(check('store-manager', -51)).toBe('over-balance');
    expect(check('admin', -1, -20)).toBe('over-balance');
    expect(check('admin', 0)).toBe('zero');
  });

  it('moves a merged member’s points or debt with a pair that sums to nothing', () => {
    expect(mergeTransfer({ balance: 45, debt: 0 })).toEqual({ merged: -45, survivor: 45 });
    expect(mergeTransfer({ balance: 0, debt: 30 })).toEqual({ merged: 30, survivor: -30 });
    expect(mergeTransfer({ balance: 0, debt: 0 })).toBeNull();
  });

  it('redacts personal fields of enrollment and update events, and nothing else', () => {
    const f = eventFactory();
    const enrolled = f.enrolled('m-1', {
      displayName: 'Ada L.',
      phoneHash: 'a'.repeat(64),
      phoneLast4: '4567',
      birthMonth: 7,
      cards: ['0400'],
      welcomeBonus: 50,
      profile: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.org', phone: '+353871234567' },
    });
    const pseudonym = erasedName('m-000123');
    expect(pseudonym).toBe('Erased 000123');
    expect(redactEvent(enrolled, pseudonym).payload).toEqual({
      ...enrolled.payload,
      displayName: pseudonym,
      phoneHash: null,
      phoneLast4: null,
      birthMonth: null,
      cards: [],
      profile: null,
    });
    const updated = f.updated('m-1', { phoneHash: 'b'.repeat(64), addCards: ['0500'], status: 'blocked' });
    expect(redactEvent(updated, pseudonym).payload).toEqual({
      phoneHash: null,
      addCards: [],
      status: 'blocked',
    });
    const earned = f.earned('m-1', 12);
    expect(redactEvent(earned, pseudonym)).toBe(earned);
    expect(redactEvent(enrolled, pseudonym).hash).toBe(enrolled.hash);
  });

  it('tells what became of an event at HQ and what it claimed', () => {
    const state = (over: Partial<Parameters<typeof eventState>[0]>) =>
      eventState({ status: 'posted', applied: true, memberSeq: 3, voided: false, held: false, ...over });
    expect(state({})).toBe('applied');
    expect(state({ held: true, status: 'flagged' })).toBe('held');
    expect(state({ voided: true, held: true })).toBe('voided');
    expect(state({ applied: false })).toBe('refused');
    expect(state({ applied: false, memberSeq: null })).toBe('waiting');
    expect(state({ status: 'quarantined', applied: false })).toBe('quarantined');
    const f = eventFactory();
    const redeemed = f.redeemed('m-1', 30);
    expect([claimedPoints(redeemed), claimedPoints(f.voided(redeemed))]).toEqual([-30, 30]);
    expect(claimedPoints(f.tierChanged('m-1', null, 'gold'))).toBeNull();
  });
});
