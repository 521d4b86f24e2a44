// Hand-built members and visits for the re-engagement tests: a member row with exactly the balance,
// batches and dates a test needs (no event history to replay), contact details and consent, and visits
// as event rows at a store's terminal (or HQ's own events, which are no visit).
import type { Queryable } from '../../../src-hq/db/database.js';
import { emptyMember, type Member } from '../../../src-shared/ledger/member.js';

export interface MemberSpec extends Partial<Omit<Member, 'id'>> {
  id: string;
  profile?: { firstName: string; lastName: string; email: string | null; phone: string | null } | null;
  /** Recorded marketing consent; undefined: never asked. */
  consent?: boolean;
  deleted?: boolean;
  /** The store the member enrolled at (an enrollment event there at enrolledAt); none: no such event. */
  store?: string;
}

export async function addMember(db: Queryable, spec: MemberSpec): Promise<Member> {
  const { profile, consent, deleted, store, ...fields } = spec;
  const doc: Member = {
    ...emptyMember(spec.id, '2024-01-01T10:00:00.000Z'),
    displayName: `${spec.id.slice(0, 12)} M.`,
    ...fields,
  };
  await db.query(
    `INSERT INTO members (id, doc, balance, debt, tier, status, deleted, change_seq)
     VALUES ($1, $2::jsonb, $3, $4, $5, $6, $7, 0)`,
    [doc.id, JSON.stringify(doc), doc.balance, doc.debt, doc.tier, doc.status, deleted ?? false],
  );
  if (profile !== undefined && profile !== null)
    await db.query(
      `INSERT INTO member_profiles (member_id, first_name, last_name, email, phone) VALUES ($1, $2, $3, $4, $5)`,
      [doc.id, profile.firstName, profile.lastName, profile.email, profile.phone],
    );
  if (consent !== undefined)
    await db.query(
      `INSERT INTO member_consents (member_id, marketing, recorded_at, recorded_by) VALUES ($1, $2, now(), 'test')`,
      [doc.id, consent],
    );
  if (store !== undefined)
    await addVisit(db, { memberId: doc.id, storeId: store, at: doc.enrolledAt, type: 'member-enrolled' });
  return doc;
}

let seq = 0;

/** An event of the member at a store's terminal (a visit), or HQ's own (terminal 'hq': no visit). */
export async function addVisit(
  db: Queryable,
  visit: {
    memberId: string;
    storeId: string;
    at: string;
    terminalId?: string;
    status?: string;
    type?: string;
  },
): Promise<void> {
  seq += 1;
  const terminalId = visit.terminalId ?? `t-${visit.storeId}`;
  await db.query(
    `INSERT INTO events (id, terminal_id, terminal_seq, store_id, member_id, type, occurred_at, month,
       program_version, prev_hash, hash, body, status, change_seq)
     VALUES (gen_random_uuid(), $1, $2, $3, $4, $7, $5, date_trunc('month', $5::timestamptz)::date,
       1, 'x', 'y', '{}'::jsonb, $6, 0)`,
    [
      terminalId,
      seq,
      visit.storeId,
      visit.memberId,
      visit.at,
      visit.status ?? 'posted',
      visit.type ?? 'points-earned',
    ],
  );
}

export const profileOf = (name: string, email: string | null = `${name.toLowerCase()}@example.com`) => ({
  firstName: name,
  lastName: 'Test',
  email,
  phone: null,
});
