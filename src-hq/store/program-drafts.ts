// The console's program work at HQ: drafts (kept as uploaded, valid or not, with every problem and its
// path), the published versions with who published them, and publications of a draft, now or at a set
// time. Publishing goes through publishProgram (store/programs.ts), so a draft published here reaches the
// terminals exactly as one published by the CLI: the new version is current and the programs collection
// gets new change numbers, which the pull and the event stream hand on.
//
// A publication is recorded in the same transaction as the version it publishes: publishProgram runs
// inside this module's transaction (through a Db that is that transaction), so "published" and "the
// version is current" are never seen apart. A scheduled one is taken by one HQ process at a time (row
// lock, SKIP LOCKED) and marked published or failed in that transaction, so it happens once.
import type { Clock } from '../../src-shared/kernel/clock.js';
import { parseProgram, type Problem } from '../../src-shared/program/parse.js';
import type { Program } from '../../src-shared/program/schema.js';
import { isDatabaseUnavailable, type Db, type Queryable } from '../db/database.js';
import { recordAudit } from './console/audit.js';
import { loadProgramVersion, lockPublications, publishProgram } from './programs.js';

export type ProgramWorkProblem =
  | 'unknown-draft'
  | 'draft-invalid'
  | 'version-taken'
  | 'already-scheduled'
  | 'draft-scheduled'
  | 'unknown-publication'
  | 'not-scheduled'
  | 'unknown-version';

/** A refusal of the program work, with a stable code the API maps to a status. */
export class ProgramWorkError extends Error {
  override readonly name = 'ProgramWorkError';
  constructor(
    readonly code: ProgramWorkProblem,
    message: string,
    readonly problems: readonly Problem[] = [],
  ) {
    super(message);
  }
}

export interface VersionRow {
  programId: string;
  version: number;
  name: string;
  publishedAt: string;
  /** The console user who published it; null when published otherwise (CLI, demo seed). */
  publishedBy: string | null;
  current: boolean;
}

export interface PublicationRow {
  id: number;
  draftId: number | null;
  programId: string;
  version: number;
  publishAt: string;
  status: 'scheduled' | 'published' | 'cancelled' | 'failed';
  requestedBy: string;
  requestedAt: string;
  publishedAt: string | null;
  cancelledBy: string | null;
  cancelledAt: string | null;
  failure: string | null;
}

export interface DraftRow {
  id: number;
  /** The document's id, version and name when it has them (an invalid draft may not). */
  programId: string | null;
  version: number | null;
  name: string | null;
  problems: Problem[];
  createdBy: string;
  createdAt: string;
  updatedBy: string;
  updatedAt: string;
  /** Its pending publication, if one is scheduled. */
  scheduled: PublicationRow | null;
}

const iso = (clock: Clock): string => new Date(clock.now()).toISOString();

/** A Db whose statements and "transactions" all run in the open transaction `tx`. */
function within(tx: Queryable, db: Db): Db {
  const refuse = () => Promise.reject(new Error('not available inside a program publication'));
  return {
    kind: db.kind,
    query: (text, params) => tx.query(text, params),
    transaction: (fn) => fn(tx),
    exec: refuse,
    listen: refuse,
    close: refuse,
  };
}

// ---- versions ------------------------------------------------------------------------------------------

/** Every published version, newest first, with who published it from the console. */
export async function listVersions(db: Queryable): Promise<VersionRow[]> {
  const { rows } = await db.query<{
    program_id: string;
    version: number;
    name: string;
    published_at: string;
    published_by: string | null;
    current: boolean;
  }>(
    `SELECT v.program_id, v.version, v.definition->>'name' AS name, v.current,
            COALESCE(p.published_at, v.published_at) AS published_at, p.requested_by AS published_by
     FROM programs v
     LEFT JOIN LATERAL (
       SELECT published_at, requested_by FROM program_publications
       WHERE program_id = v.program_id AND version = v.version AND status = 'published'
       ORDER BY id LIMIT 1
     ) p ON true
     ORDER BY v.program_id, v.version DESC`,
  );
  return rows.map((r) => ({
    programId: r.program_id,
    version: r.version,
    name: r.name,
    publishedAt: r.published_at,
    publishedBy: r.published_by,
    current: r.current,
  }));
}

/** One published version, or a ProgramWorkError. */
export async function versionOf(db: Queryable, programId: string, version: number): Promise<Program> {
  const program = await loadProgramVersion(db, programId, version);
  if (!program)
    throw new ProgramWorkError('unknown-version', `${programId} version ${version} was never published.`);
  return program;
}

// ---- drafts --------------------------------------------------------------------------------------------

/** The highest version published per program id. */
async function latestVersions(db: Queryable): Promise<Map<string, number>> {
  const { rows } = await db.query<{ program_id: string; version: number }>(
    'SELECT program_id, max(version) AS version FROM programs GROUP BY program_id',
  );
  return new Map(rows.map((r) => [r.program_id, r.version]));
}

/**
 * Every problem of a draft, with its path: the program's own (its schema), then HQ's: HQ runs one program,
 * so the draft must be that program (its id), and versions are immutable, so its version must be new.
 */
export async function draftProblems(db: Queryable, document: unknown): Promise<Problem[]> {
  const parsed = parseProgram(document);
  if (!parsed.ok) return parsed.error;
  const program = parsed.value;
  const problems: Problem[] = [];
  const latest = await latestVersions(db);
  const { rows } = await db.query<{ program_id: string }>('SELECT program_id FROM programs WHERE current');
  const running = rows.map((r) => r.program_id);
  if (running.length > 0 && !running.includes(program.id))
    problems.push({
      path: 'id',
      message: `HQ runs program "${running.join('", "')}": a draft of "${program.id}" would be a second program`,
    });
  const taken = latest.get(program.id);
  if (taken !== undefined && program.version <= taken)
    problems.push({
      path: 'version',
      message: `version ${taken} is already published and versions are immutable: use ${taken + 1}`,
    });
  return problems;
}

interface DraftDbRow {
  id: number;
  document: unknown;
  problems: Problem[];
  created_by: string;
  created_at: string;
  updated_by: string;
  updated_at: string;
}

const field = (document: unknown, key: string): unknown =>
  document !== null && typeof document === 'object' && !Array.isArray(document)
    ? (document as Record<string, unknown>)[key]
    : undefined;

function toDraft(row: DraftDbRow, scheduled: PublicationRow | null): DraftRow {
  const id = field(row.document, 'id');
  const version = field(row.document, 'version');
  const name = field(row.document, 'name');
  return {
    id: row.id,
    programId: typeof id === 'string' ? id : null,
    version: typeof version === 'number' && Number.isSafeInteger(version) ? version : null,
    name: typeof name === 'string' ? name : null,
    problems: row.problems,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedBy: row.updated_by,
    updatedAt: row.updated_at,
    scheduled,
  };
}

const DRAFT_COLUMNS = 'id, document, problems, created_by, created_at, updated_by, updated_at';

/** Keeps a draft as uploaded, with its problems (none for a valid one). */
export async function createDraft(
  db: Queryable,
  document: unknown,
  by: string,
  clock: Clock,
): Promise<DraftRow> {
  const problems = await draftProblems(db, document);
  const at = iso(clock);
  const { rows } = await db.query<DraftDbRow>(
    `INSERT INTO program_drafts (document, problems, created_by, created_at, updated_by, updated_at)
     VALUES ($1::jsonb, $2::jsonb, $3, $4, $3, $4) RETURNING ${DRAFT_COLUMNS}`,
    [JSON.stringify(document), JSON.stringify(problems), by, at],
  );
  return toDraft(rows[0] as DraftDbRow, null);
}

/** Replaces a draft's document (a fix); refused while a publication of it is scheduled. */
export async function replaceDraft(
  db: Db,
  id: number,
  document: unknown,
  by: string,
  clock: Clock,
): Promise<DraftRow> {
  const problems = await draftProblems(db, document);
  return db.transaction(async (tx) => {
    await lockedDraft(tx, id);
    await refuseIfScheduled(tx, id);
    const { rows } = await tx.query<DraftDbRow>(
      `UPDATE program_drafts SET document = $2::jsonb, problems = $3::jsonb, updated_by = $4, updated_at = $5
       WHERE id = $1 RETURNING ${DRAFT_COLUMNS}`,
      [id, JSON.stringify(document), JSON.stringify(problems), by, iso(clock)],
    );
    return toDraft(rows[0] as DraftDbRow, null);
  });
}

/** Removes a draft; refused while a publication of it is scheduled (cancel that first). */
export async function deleteDraft(db: Db, id: number): Promise<void> {
  await db.transaction(async (tx) => {
    await lockedDraft(tx, id);
    await refuseIfScheduled(tx, id);
    await tx.query('DELETE FROM program_drafts WHERE id = $1', [id]);
  });
}

async function lockedDraft(tx: Queryable, id: number): Promise<DraftDbRow> {
  const { rows } = await tx.query<DraftDbRow>(
    `SELECT ${DRAFT_COLUMNS} FROM program_drafts WHERE id = $1 FOR UPDATE`,
    [id],
  );
  const row = rows[0];
  if (!row) throw new ProgramWorkError('unknown-draft', `There is no draft #${id}.`);
  return row;
}

async function refuseIfScheduled(tx: Queryable, draftId: number): Promise<void> {
  const pending = await scheduledOf(tx, [draftId]);
  const scheduled = pending.get(draftId);
  if (scheduled)
    throw new ProgramWorkError(
      'draft-scheduled',
      `Draft #${draftId} is scheduled to be published at ${scheduled.publishAt} (publication #${scheduled.id}): cancel that first.`,
    );
}

async function scheduledOf(db: Queryable, draftIds: number[]): Promise<Map<number, PublicationRow>> {
  if (draftIds.length === 0) return new Map();
  const { rows } = await db.query<PublicationDbRow>(
    `SELECT ${PUBLICATION_COLUMNS} FROM program_publications
     WHERE status = 'scheduled' AND draft_id = ANY ($1::bigint[])`,
    [draftIds],
  );
  return new Map(rows.map((r) => [Number(r.draft_id), toPublication(r)]));
}

/** The drafts, newest first. */
export async function listDrafts(db: Queryable): Promise<DraftRow[]> {
  const { rows } = await db.query<DraftDbRow>(`SELECT ${DRAFT_COLUMNS} FROM program_drafts ORDER BY id DESC`);
  const scheduled = await scheduledOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => toDraft(r, scheduled.get(r.id) ?? null));
}

/** One draft with its document as uploaded. */
export async function getDraft(db: Queryable, id: number): Promise<{ draft: DraftRow; document: unknown }> {
  const { rows } = await db.query<DraftDbRow>(`SELECT ${DRAFT_COLUMNS} FROM program_drafts WHERE id = $1`, [
    id,
  ]);
  const row = rows[0];
  if (!row) throw new ProgramWorkError('unknown-draft', `There is no draft #${id}.`);
  const scheduled = await scheduledOf(db, [id]);
  return { draft: toDraft(row, scheduled.get(id) ?? null), document: row.document };
}

/** A draft's program, checked again now (a version may have been published since it was uploaded). */
export async function draftProgram(db: Queryable, id: number): Promise<Program> {
  const { document } = await getDraft(db, id);
  const problems = await draftProblems(db, document);
  const parsed = parseProgram(document);
  if (problems.length > 0 || !parsed.ok)
    throw new ProgramWorkError(
      'draft-invalid',
      `Draft #${id} has ${problems.length === 1 ? 'a problem' : `${problems.length} problems`}: fix ${problems.length === 1 ? 'it' : 'them'} first.`,
      problems,
    );
  return parsed.value;
}

// ---- publications --------------------------------------------------------------------------------------

interface PublicationDbRow {
  id: number;
  draft_id: number | null;
  program_id: string;
  version: number;
  publish_at: string;
  status: PublicationRow['status'];
  requested_by: string;
  requested_at: string;
  published_at: string | null;
  cancelled_by: string | null;
  cancelled_at: string | null;
  failure: string | null;
}

const PUBLICATION_COLUMNS = `id, draft_id, program_id, version, publish_at, status, requested_by, requested_at,
  published_at, cancelled_by, cancelled_at, failure`;

const toPublication = (r: PublicationDbRow): PublicationRow => ({
  id: Number(r.id),
  draftId: r.draft_id === null ? null : Number(r.draft_id),
  programId: r.program_id,
  version: r.version,
  publishAt: r.publish_at,
  status: r.status,
  requestedBy: r.requested_by,
  requestedAt: r.requested_at,
  publishedAt: r.published_at,
  cancelledBy: r.cancelled_by,
  cancelledAt: r.cancelled_at,
  failure: r.failure,
});

/** Publications, newest first (scheduled, published, cancelled and failed). */
export async function listPublications(db: Queryable, limit = 50): Promise<PublicationRow[]> {
  const { rows } = await db.query<PublicationDbRow>(
    `SELECT ${PUBLICATION_COLUMNS} FROM program_publications ORDER BY id DESC LIMIT $1`,
    [limit],
  );
  return rows.map(toPublication);
}

/** Refuses a version that is not above every published one (checked under publishProgram's lock). */
async function refuseTakenVersion(tx: Queryable, program: Program): Promise<void> {
  await lockPublications(tx);
  const latest = (await latestVersions(tx)).get(program.id);
  if (latest !== undefined && program.version <= latest)
    throw new ProgramWorkError(
      'version-taken',
      `${program.id} version ${latest} is already published and versions are immutable: the draft needs version ${latest + 1} or higher.`,
    );
}

async function insertPublication(
  tx: Queryable,
  program: Program,
  p: {
    draftId: number | null;
    by: string;
    at: string;
    requestedAt: string;
    status: 'scheduled' | 'published';
  },
): Promise<PublicationRow> {
  const { rows } = await tx.query<PublicationDbRow>(
    `INSERT INTO program_publications
       (draft_id, program_id, version, document, publish_at, status, requested_by, requested_at, published_at)
     VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8, CASE WHEN $6 = 'published' THEN $5::timestamptz END)
     RETURNING ${PUBLICATION_COLUMNS}`,
    [p.draftId, program.id, program.version, JSON.stringify(program), p.at, p.status, p.by, p.requestedAt],
  );
  return toPublication(rows[0] as PublicationDbRow);
}

/** Refuses a version with a publication already scheduled (publishing it twice would fail the second). */
async function refusePending(tx: Queryable, program: Program): Promise<void> {
  const pending = await tx.query<{ id: number; publish_at: string }>(
    `SELECT id, publish_at FROM program_publications
     WHERE status = 'scheduled' AND program_id = $1 AND version = $2`,
    [program.id, program.version],
  );
  const other = pending.rows[0];
  if (other)
    throw new ProgramWorkError(
      'already-scheduled',
      `${program.id} version ${program.version} is already scheduled for ${other.publish_at} (publication #${other.id}): cancel it first.`,
    );
}

/** Publishes a draft's program now: it is current when this returns, recorded as published by `by`. */
export async function publishNow(
  db: Db,
  program: Program,
  p: { draftId: number | null; by: string },
  clock: Clock,
): Promise<PublicationRow> {
  return db.transaction(async (tx) => {
    await refuseTakenVersion(tx, program);
    await refusePending(tx, program);
    await publishProgram(within(tx, db), program);
    const at = iso(clock);
    return insertPublication(tx, program, { ...p, at, requestedAt: at, status: 'published' });
  });
}

/** Schedules a draft's program to be published at `at` (ISO) by the publication job. */
export async function schedulePublication(
  db: Db,
  program: Program,
  p: { draftId: number | null; by: string; at: string },
  clock: Clock,
): Promise<PublicationRow> {
  return db.transaction(async (tx) => {
    await refuseTakenVersion(tx, program);
    await refusePending(tx, program);
    return insertPublication(tx, program, { ...p, requestedAt: iso(clock), status: 'scheduled' });
  });
}

/** Cancels a scheduled publication that has not run. */
export async function cancelPublication(
  db: Queryable,
  id: number,
  by: string,
  clock: Clock,
): Promise<PublicationRow> {
  const { rows } = await db.query<PublicationDbRow>(
    `UPDATE program_publications SET status = 'cancelled', cancelled_by = $2, cancelled_at = $3
     WHERE id = $1 AND status = 'scheduled' RETURNING ${PUBLICATION_COLUMNS}`,
    [id, by, iso(clock)],
  );
  const row = rows[0];
  if (row) return toPublication(row);
  const { rows: existing } = await db.query<PublicationDbRow>(
    `SELECT ${PUBLICATION_COLUMNS} FROM program_publications WHERE id = $1`,
    [id],
  );
  const known = existing[0];
  if (!known) throw new ProgramWorkError('unknown-publication', `There is no publication #${id}.`);
  throw new ProgramWorkError(
    'not-scheduled',
    `Publication #${id} is ${known.status}${known.published_at ? ` (at ${known.published_at})` : ''}: only a scheduled one can be cancelled.`,
  );
}

/** Who the publication job is in the audit log. */
export const PUBLICATION_JOB_ACTOR = 'hq';

/**
 * Publishes the oldest due scheduled publication, if any: null when none is due (or every due one is
 * being published by another HQ process). A publication that cannot be published (its version was taken
 * meanwhile) is marked failed with the reason; it is not retried.
 */
export async function publishNextDue(db: Db, clock: Clock): Promise<PublicationRow | null> {
  return db.transaction(async (tx) => {
    const now = iso(clock);
    const { rows } = await tx.query<PublicationDbRow & { document: Program }>(
      `SELECT ${PUBLICATION_COLUMNS}, document FROM program_publications
       WHERE status = 'scheduled' AND publish_at <= $1
       ORDER BY publish_at, id LIMIT 1 FOR UPDATE SKIP LOCKED`,
      [now],
    );
    const row = rows[0];
    if (!row) return null;
    let status: 'published' | 'failed' = 'published';
    let failure: string | null = null;
    // A savepoint, so a refused publish is undone alone and the row can still say it failed.
    await tx.query('SAVEPOINT publish');
    try {
      const program = row.document;
      await refuseTakenVersion(tx, program);
      await publishProgram(within(tx, db), program);
    } catch (error) {
      if (isDatabaseUnavailable(error)) throw error;
      await tx.query('ROLLBACK TO SAVEPOINT publish');
      status = 'failed';
      failure = (error as Error).message;
    }
    const updated = await tx.query<PublicationDbRow>(
      `UPDATE program_publications SET status = $2, published_at = CASE WHEN $2 = 'published' THEN $3::timestamptz END, failure = $4
       WHERE id = $1 RETURNING ${PUBLICATION_COLUMNS}`,
      [row.id, status, now, failure],
    );
    const publication = toPublication(updated.rows[0] as PublicationDbRow);
    await recordAudit(
      tx,
      {
        userId: null,
        actor: PUBLICATION_JOB_ACTOR,
        action: 'program.publish-scheduled',
        target: `program ${publication.programId} v${publication.version}`,
        reason: null,
        outcome: status === 'published' ? 'done' : 'refused',
        details: { publication: publication.id, requestedBy: publication.requestedBy, failure },
        ip: null,
      },
      clock,
    );
    return publication;
  });
}
