// Program versions (docs/architecture.md section 4): HQ publishes immutable numbered versions of one program; the
// newest published is `current`, the one terminals quote with. Events name the version they were quoted
// under, and ingest re-quotes against exactly that version, so versions are never edited or removed.
import { programSchema, type Program } from '../../src-shared/program/schema.js';
import type { Db, Queryable } from '../db/database.js';
import { takeChangeSeqs } from './changes.js';

/**
 * Versions are immutable, so a version read once is kept for the life of the process, per database (the
 * promise, so concurrent first reads share one query). Versions not found are not remembered.
 */
const versionCache = new WeakMap<object, Map<string, Promise<Program | null>>>();
const cacheKey = (programId: string, version: number): string => `${programId}@${version}`;

function cacheOf(owner: object): Map<string, Promise<Program | null>> {
  let cache = versionCache.get(owner);
  if (!cache) {
    cache = new Map();
    versionCache.set(owner, cache);
  }
  return cache;
}

/** The advisory lock of program publications (two-key form: class "LPub", key 1). */
const PUBLICATION_LOCK_CLASS = 0x4c50_7562;

/** Serialises publications until the transaction ends (two publishers cannot both pass the version check). */
export async function lockPublications(tx: Queryable): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1::int, 1)', [PUBLICATION_LOCK_CLASS]);
}

/**
 * Publishes `program` as the new current version of `program.id`. The version must be greater than every
 * version published so far for that id (versions are immutable: a change is a new version). The version
 * that was current stops being current, and both rows get new change numbers so terminals pull the switch.
 */
export async function publishProgram(
  db: Db,
  program: Program,
): Promise<{ programId: string; version: number }> {
  const parsed = programSchema.safeParse(program);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(program)'}: ${i.message}`);
    throw new Error(`Cannot publish an invalid program:\n${problems.join('\n')}`);
  }
  const definition = parsed.data;
  return db.transaction(async (tx) => {
    // Publishing is rare: hold the publication lock for the whole transaction, so two publishers of the
    // same program cannot both pass the version check.
    await lockPublications(tx);
    const latest = await tx.query<{ version: number }>(
      'SELECT max(version) AS version FROM programs WHERE program_id = $1',
      [definition.id],
    );
    const latestVersion = latest.rows[0]?.version ?? null;
    if (latestVersion !== null && definition.version <= latestVersion) {
      throw new Error(
        `Program "${definition.id}" version ${definition.version} cannot be published: version ${latestVersion} ` +
          `is already published and versions are immutable. Publish it as version ${latestVersion + 1}.`,
      );
    }
    const current = await tx.query<{ version: number }>(
      'SELECT version FROM programs WHERE program_id = $1 AND current',
      [definition.id],
    );
    const seqs = await takeChangeSeqs(tx, 'programs', current.rowCount + 1);
    if (current.rowCount > 0) {
      await tx.query(
        'UPDATE programs SET current = false, change_seq = $2 WHERE program_id = $1 AND current',
        [definition.id, seqs[0]],
      );
    }
    await tx.query(
      `INSERT INTO programs (program_id, version, definition, current, change_seq)
       VALUES ($1, $2, $3::jsonb, true, $4)`,
      [definition.id, definition.version, JSON.stringify(definition), seqs[current.rowCount]],
    );
    return { programId: definition.id, version: definition.version };
  });
}

/**
 * One published version, or null when it was never published. `cacheOwner` keys the in-memory cache (the
 * database, when `db` is one of its transactions); it defaults to `db`.
 */
export function loadProgramVersion(
  db: Queryable,
  programId: string,
  version: number,
  cacheOwner: object = db,
): Promise<Program | null> {
  const cache = cacheOf(cacheOwner);
  const key = cacheKey(programId, version);
  const cached = cache.get(key);
  if (cached) return cached;
  const loading = db
    .query<{ definition: Program }>(
      'SELECT definition FROM programs WHERE program_id = $1 AND version = $2',
      [programId, version],
    )
    .then(({ rows }) => {
      const row = rows[0];
      if (!row) {
        cache.delete(key);
        return null;
      }
      // Stored by publishProgram, so already valid; parsing again fills defaults added since.
      return programSchema.parse(row.definition);
    });
  loading.catch(() => cache.delete(key));
  cache.set(key, loading);
  return loading;
}

/** One published version of a program (cached in memory: versions never change), or null. */
export function programVersion(db: Queryable, programId: string, version: number): Promise<Program | null> {
  return loadProgramVersion(db, programId, version);
}

/** The current version's id and number (no definition), or null; throws when several programs are current. */
export async function currentProgramRef(
  db: Queryable,
  programId?: string,
): Promise<{ programId: string; version: number } | null> {
  const { rows } = await db.query<{ program_id: string; version: number }>(
    programId === undefined
      ? 'SELECT program_id, version FROM programs WHERE current ORDER BY program_id LIMIT 2'
      : 'SELECT program_id, version FROM programs WHERE current AND program_id = $1',
    programId === undefined ? [] : [programId],
  );
  if (rows.length > 1) {
    throw new Error(
      `Several programs are current (${rows.map((r) => r.program_id).join(', ')}…): HQ runs one program per ` +
        'chain; name the program.',
    );
  }
  const row = rows[0];
  return row ? { programId: row.program_id, version: row.version } : null;
}

/**
 * The current version of `programId`, or, with no id, of the single program HQ runs (HQ runs one program
 * per chain for now; several current programs is an error). Null when nothing is published.
 */
export async function currentProgram(db: Queryable, programId?: string): Promise<Program | null> {
  const ref = await currentProgramRef(db, programId);
  return ref ? loadProgramVersion(db, ref.programId, ref.version) : null;
}
