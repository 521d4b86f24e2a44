// The audit log: one row per console action, who (user id and username at the time), what (the endpoint's
// audit action and its target), when, why (the reason or note the user gave), the outcome (done, or refused
// with HQ's error code) and details. Rows are only ever added.
import type { AuditEntry } from '../../../src-shared/console/auth.js';
import type { Clock } from '../../../src-shared/kernel/clock.js';
import type { Queryable } from '../../db/database.js';

export interface AuditRecord {
  userId: string | null;
  actor: string;
  action: string;
  target: string | null;
  reason: string | null;
  outcome: 'done' | 'refused';
  details: unknown;
  ip: string | null;
}

export async function recordAudit(db: Queryable, record: AuditRecord, clock: Clock): Promise<void> {
  await db.query(
    `INSERT INTO audit_log (at, user_id, actor, action, target, reason, outcome, details, ip)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9)`,
    [
      new Date(clock.now()).toISOString(),
      record.userId,
      record.actor,
      record.action,
      record.target,
      record.reason,
      record.outcome,
      JSON.stringify(record.details ?? {}),
      record.ip,
    ],
  );
}

export interface AuditQuery {
  actor?: string | undefined;
  action?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  /** Keyset paging: entries with an id below this. */
  before?: number | undefined;
  limit: number;
}

export async function listAudit(
  db: Queryable,
  q: AuditQuery,
): Promise<{ entries: AuditEntry[]; next: number | null }> {
  const { rows } = await db.query<{
    id: number;
    at: string;
    actor: string;
    action: string;
    target: string | null;
    reason: string | null;
    outcome: 'done' | 'refused';
    details: unknown;
  }>(
    `SELECT id, at, actor, action, target, reason, outcome, details FROM audit_log
     WHERE ($1::text IS NULL OR actor = $1) AND ($2::text IS NULL OR action = $2)
       AND ($3::timestamptz IS NULL OR at >= $3) AND ($4::timestamptz IS NULL OR at < $4)
       AND ($5::bigint IS NULL OR id < $5)
     ORDER BY id DESC LIMIT $6`,
    [q.actor ?? null, q.action ?? null, q.from ?? null, q.to ?? null, q.before ?? null, q.limit + 1],
  );
  const page = rows.slice(0, q.limit);
  return {
    entries: page.map((r) => ({ ...r, id: Number(r.id), at: new Date(r.at).toISOString() })),
    next: rows.length > q.limit ? Number(page[page.length - 1]!.id) : null,
  };
}
