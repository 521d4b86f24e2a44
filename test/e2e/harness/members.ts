// Member documents as HQ would send them, deterministic per index, for the harness page and the Node side
// alike (a million members are generated batch by batch, never held in memory).
import { emptyMember } from '../../../src-shared/ledger/member.js';
import type { MemberDoc } from '../../../src-shared/sync/wire.js';

/** A card number for member i: 13 digits in the GS1 restricted-circulation range (prefix 29). */
export const cardFor = (i: number): string => `29${i.toString().padStart(11, '0')}`;
/** Member ids for member i. */
export const memberIdFor = (i: number): string => `m-${i.toString().padStart(8, '0')}`;

/**
 * Member i as HQ would send it (valid against memberDocSchema), of a realistic size: display name, phone
 * hash, one card, a balance and its batch.
 */
export function memberDoc(i: number): MemberDoc {
  const enrolledAt = new Date(Date.UTC(2024, 0, 1) + (i % 365) * 86_400_000).toISOString();
  const base = emptyMember(memberIdFor(i), enrolledAt);
  const balance = (i * 37) % 5_000;
  const hex = (n: number): string => (n >>> 0).toString(16).padStart(8, '0');
  return {
    ...base,
    displayName: `Member ${String.fromCharCode(65 + (i % 26))}.`,
    phoneHash: hex(i * 2_654_435_761).repeat(8),
    phoneLast4: (i % 10_000).toString().padStart(4, '0'),
    birthMonth: (i % 12) + 1,
    cards: [cardFor(i)],
    tier: i % 10 === 0 ? 'gold' : null,
    balance,
    batches:
      balance > 0
        ? [
            {
              eventId: `00000000-0000-7000-8000-${i.toString(16).padStart(12, '0')}`,
              earnedAt: enrolledAt,
              expiresAt: null,
              points: balance,
              remaining: balance,
            },
          ]
        : [],
    totals: { ...base.totals, earned: balance },
    purchases: i % 40,
    offlineAllowance: Math.min(balance, 500),
    lastActivityAt: enrolledAt,
    memberSeq: 1 + (i % 7),
    _deleted: false,
  };
}
