// A member's marketing consent, as HQ records it from the console (the counter does not ask yet). Kept
// beside the member's contact details and erased with them (member_consents references member_profiles).
// No row means never asked, which counts as no: only a recorded yes lets a member be exported or sent.
import type { Clock } from '../../../src-shared/kernel/clock.js';
import type { Queryable } from '../../db/database.js';

export class ConsentError extends Error {
  constructor(
    readonly code: 'unknown-member' | 'no-contact-details',
    message: string,
  ) {
    super(message);
    this.name = 'ConsentError';
  }
}

export interface ConsentRecord {
  memberId: string;
  marketing: boolean;
  recordedAt: string;
}

export async function setConsent(
  db: Queryable,
  memberId: string,
  marketing: boolean,
  by: string,
  clock: Clock,
): Promise<ConsentRecord> {
  const recordedAt = new Date(clock.now()).toISOString();
  const { rows } = await db.query<{ member_id: string }>(
    `INSERT INTO member_consents (member_id, marketing, recorded_at, recorded_by)
     SELECT p.member_id, $2, $3, $4 FROM member_profiles p JOIN members m ON m.id = p.member_id
     WHERE p.member_id = $1 AND NOT m.deleted
     ON CONFLICT (member_id) DO UPDATE
       SET marketing = excluded.marketing, recorded_at = excluded.recorded_at, recorded_by = excluded.recorded_by
     RETURNING member_id`,
    [memberId, marketing, recordedAt, by],
  );
  if (rows.length === 0) {
    const known = await db.query('SELECT 1 FROM members WHERE id = $1 AND NOT deleted', [memberId]);
    if (known.rowCount === 0) throw new ConsentError('unknown-member', `No member ${memberId}.`);
    throw new ConsentError(
      'no-contact-details',
      'This member left no contact details: there is nothing to consent to being contacted at.',
    );
  }
  return { memberId, marketing, recordedAt };
}
