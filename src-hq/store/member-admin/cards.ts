// A lost card blocked and its replacement linked. One HQ `member-updated` event removes the lost card from
// the member and adds the new one (so the member's document — what terminals replicate — lists only the
// new card, with the same balance); the lost card's row is then kept, blocked, naming the member: a
// lookup by it finds no one (findMembers), and ingest, seeing it owned, flags any till that tries to link
// it to someone (`card-conflict`). A payment card number is refused before anything (the shared guard);
// a card someone else holds, or one blocked, is refused too.
import type { MemberCard } from '../../../src-shared/console/members.js';
import type { Clock } from '../../../src-shared/kernel/clock.js';
import { cardNumberSchema } from '../../../src-shared/ledger/member.js';
import type { Db } from '../../db/database.js';
import { withBatchRetry } from '../ingest.js';
import { MemberActionError } from './errors.js';
import { appendApplied, assertLive, clipText, lockMembers } from './hq-write.js';
import { memberCards } from './profile.js';

export interface CardReplacement {
  memberId: string;
  lostCard: string;
  newCard: string;
  reason: string;
}

export async function replaceCard(db: Db, clock: Clock, r: CardReplacement): Promise<MemberCard[]> {
  const checked = cardNumberSchema.safeParse(r.newCard);
  // The message names the brand and last four digits only (the guard's words), never the number.
  if (!checked.success)
    throw new MemberActionError('not-allowed', checked.error.issues[0]?.message ?? 'not a card number');
  return withBatchRetry(() =>
    db.transaction(async (tx) => {
      const [row] = await lockMembers(tx, [r.memberId]);
      if (!row) throw new Error('lockMembers returned no row');
      assertLive(row);
      const { rows } = await tx.query<{ number: string; member_id: string; blocked_at: string | null }>(
        'SELECT number, member_id, blocked_at FROM cards WHERE number = ANY($1::text[])',
        [[r.lostCard, r.newCard]],
      );
      const lost = rows.find((c) => c.number === r.lostCard);
      const taken = rows.find((c) => c.number === r.newCard);
      if (!lost || lost.member_id !== r.memberId || !row.doc.cards.includes(r.lostCard))
        throw new MemberActionError(
          lost?.blocked_at ? 'card-blocked' : 'not-this-members-card',
          lost?.blocked_at
            ? `Card ${r.lostCard} is blocked already.`
            : `Card ${r.lostCard} is not one of this member's cards.`,
        );
      if (taken)
        throw new MemberActionError(
          taken.blocked_at ? 'card-blocked' : 'card-taken',
          taken.blocked_at
            ? `Card ${r.newCard} is a blocked card: it cannot be linked again.`
            : taken.member_id === r.memberId
              ? `Card ${r.newCard} is this member's already.`
              : `Card ${r.newCard} belongs to another member.`,
        );
      await appendApplied(tx, db, clock, [
        {
          type: 'member-updated',
          memberId: r.memberId,
          payload: { removeCards: [r.lostCard], addCards: [r.newCard] },
        },
      ]);
      // Ingest removed the lost card's row with the event; it comes back blocked.
      await tx.query(
        `INSERT INTO cards (number, member_id, blocked_at, blocked_reason, replaced_by)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (number) DO UPDATE SET member_id = excluded.member_id, blocked_at = excluded.blocked_at,
           blocked_reason = excluded.blocked_reason, replaced_by = excluded.replaced_by`,
        [r.lostCard, r.memberId, new Date(clock.now()).toISOString(), clipText(r.reason), r.newCard],
      );
      return memberCards(tx, r.memberId);
    }),
  );
}
