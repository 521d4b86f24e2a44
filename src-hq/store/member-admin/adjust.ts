// A points adjustment from the console: checked against the role's cap and the member's spendable points
// (src-shared/members/adjustment.ts), then recorded as an HQ `points-adjusted` event, like a review's
// credit, so the balance stays the fold of the member's events, the reports count it, and the member's
// document (with its new balance) reaches every terminal.
import type { ConsoleRole } from '../../../src-shared/console/endpoint.js';
import type { Clock } from '../../../src-shared/kernel/clock.js';
import type { adjustmentReasons } from '../../../src-shared/ledger/events.js';
import { refuseAdjustment } from '../../../src-shared/members/adjustment.js';
import { defaultAdjustmentCaps } from '../../../src-shared/program/schema.js';
import type { Db } from '../../db/database.js';
import { withBatchRetry } from '../ingest.js';
import { currentProgram } from '../programs.js';
import { MemberActionError } from './errors.js';
import { appendApplied, assertLive, clipText, consoleActor, lockMembers } from './hq-write.js';

export interface Adjustment {
  memberId: string;
  role: ConsoleRole;
  username: string;
  points: number;
  reasonCode: (typeof adjustmentReasons)[number];
  reason: string;
}

export async function adjustPoints(
  db: Db,
  clock: Clock,
  a: Adjustment,
): Promise<{ eventId: string; balance: number; debt: number }> {
  return withBatchRetry(() =>
    db.transaction(async (tx) => {
      const [row] = await lockMembers(tx, [a.memberId]);
      if (!row) throw new Error('lockMembers returned no row');
      assertLive(row);
      const program = await currentProgram(tx);
      const refusal = refuseAdjustment({
        role: a.role,
        caps: program?.adjustments.caps ?? defaultAdjustmentCaps,
        points: a.points,
        spendable: row.doc.balance - row.doc.debt,
      });
      if (refusal) throw new MemberActionError(refusal.code, refusal.message);
      const [result] = await appendApplied(tx, db, clock, [
        {
          type: 'points-adjusted',
          memberId: a.memberId,
          payload: {
            points: a.points,
            reasonCode: a.reasonCode,
            managerId: consoleActor(a.username),
            note: clipText(a.reason),
          },
        },
      ]);
      const { rows } = await tx.query<{ balance: number; debt: number }>(
        'SELECT balance, debt FROM members WHERE id = $1',
        [a.memberId],
      );
      return { eventId: result!.id, balance: Number(rows[0]!.balance), debt: Number(rows[0]!.debt) };
    }),
  );
}
