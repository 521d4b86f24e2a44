// The console's program handlers (endpoints in src-shared/console/program.ts). The decisions are pure
// (src-shared/program: parse, diff, simulate); the drafts and publications are store/program-drafts.ts;
// this file reads the inputs, maps the store's refusals to HTTP, and says in the audit what was acted on
// (the draft, the version numbers, when).
import type { programEndpoints, SimulationLineInput } from '../../../src-shared/console/program.js';
import { diffPrograms } from '../../../src-shared/program/diff.js';
import { simulateSideBySide, type SimulationLine } from '../../../src-shared/program/simulate.js';
import type { Queryable } from '../../db/database.js';
import { getProduct } from '../../store/catalog.js';
import {
  cancelPublication,
  createDraft,
  deleteDraft,
  draftProgram,
  getDraft,
  listDrafts,
  listPublications,
  listVersions,
  ProgramWorkError,
  publishNow,
  replaceDraft,
  schedulePublication,
  versionOf,
  type ProgramWorkProblem,
} from '../../store/program-drafts.js';
import { currentProgram, currentProgramRef } from '../../store/programs.js';
import { HttpError } from '../errors.js';
import type { Handlers } from './call.js';

const STATUS: Record<ProgramWorkProblem, number> = {
  'unknown-draft': 404,
  'unknown-publication': 404,
  'unknown-version': 404,
  'draft-invalid': 409,
  'version-taken': 409,
  'already-scheduled': 409,
  'draft-scheduled': 409,
  'not-scheduled': 409,
};

/** Runs a store call, answering its refusals as HTTP errors (problems kept for an invalid draft). */
async function refusalsAsHttp<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ProgramWorkError)
      throw new HttpError(
        STATUS[error.code],
        error.code,
        error.message,
        error.problems.length > 0 ? [...error.problems] : undefined,
      );
    throw error;
  }
}

/** The engine's lines: a SKU alone takes its category from the catalogue, a category alone a placeholder SKU. */
async function simulationLines(
  db: Queryable,
  lines: readonly SimulationLineInput[],
): Promise<SimulationLine[]> {
  const problems: { path: string; message: string }[] = [];
  const out: SimulationLine[] = [];
  for (const [i, line] of lines.entries()) {
    let category = line.category;
    if (category === undefined && line.sku !== undefined) {
      category = (await getProduct(db, line.sku))?.category;
      if (category === undefined)
        problems.push({
          path: `lines[${i}].category`,
          message: `SKU ${line.sku} is not in HQ's catalogue: give its category`,
        });
    }
    out.push({
      sku: line.sku ?? `(any ${category ?? ''})`.slice(0, 64),
      category: category ?? '',
      quantity: line.quantity,
      amount: line.amount,
    });
  }
  if (problems.length > 0)
    throw new HttpError(400, 'invalid-request', 'Some basket lines cannot be simulated.', problems);
  return out;
}

export const programHandlers: Handlers<typeof programEndpoints> = {
  async programVersions({ db }) {
    const [versions, publications] = await Promise.all([listVersions(db), listPublications(db)]);
    return { versions, publications };
  },

  async programVersion({ db, params }) {
    const program = await refusalsAsHttp(() => versionOf(db, params.programId, params.version));
    return { program: program as unknown as Record<string, unknown> };
  },

  async programDiff({ db, query }) {
    return refusalsAsHttp(async () => {
      const ref = await currentProgramRef(db);
      if (!ref) throw new HttpError(404, 'no-program', 'No program version is published yet.');
      const before = await versionOf(db, ref.programId, query.from ?? ref.version);
      const after =
        query.draft !== undefined
          ? await draftProgram(db, query.draft)
          : await versionOf(db, ref.programId, query.to as number);
      return {
        from: { programId: before.id, version: before.version },
        to: { programId: after.id, version: after.version, draft: query.draft ?? null },
        changes: diffPrograms(before, after),
      };
    });
  },

  async programDrafts({ db }) {
    return { drafts: await listDrafts(db) };
  },

  async programDraft({ db, params }) {
    return refusalsAsHttp(() => getDraft(db, params.id));
  },

  async createProgramDraft({ db, clock, user, body, audit }) {
    const draft = await createDraft(db, body.document, user.username, clock);
    audit.target(`draft ${draft.id}`);
    audit.details({ programId: draft.programId, version: draft.version, problems: draft.problems.length });
    return draft;
  },

  async replaceProgramDraft({ db, clock, user, params, body, audit }) {
    audit.target(`draft ${params.id}`);
    const draft = await refusalsAsHttp(() =>
      replaceDraft(db, params.id, body.document, user.username, clock),
    );
    audit.details({ programId: draft.programId, version: draft.version, problems: draft.problems.length });
    return draft;
  },

  async deleteProgramDraft({ db, params, audit }) {
    audit.target(`draft ${params.id}`);
    await refusalsAsHttp(() => deleteDraft(db, params.id));
    return { deleted: true as const };
  },

  async simulateProgramDraft({ db, params, body, audit }) {
    audit.target(`draft ${params.id}`);
    const draft = await refusalsAsHttp(() => draftProgram(db, params.id));
    const lines = await simulationLines(db, body.lines);
    const now = await currentProgram(db);
    const result = simulateSideBySide(draft, now, {
      lines,
      tier: body.tier,
      localDateTime: body.localDateTime,
    });
    audit.details({ version: draft.version, currentVersion: now?.version ?? null, lines: lines.length });
    return { lines, ...result };
  },

  async publishProgramDraft({ db, clock, user, params, body, audit }) {
    audit.target(`draft ${params.id}`);
    return refusalsAsHttp(async () => {
      const program = await draftProgram(db, params.id);
      const before = await currentProgramRef(db, program.id);
      audit.target(`program ${program.id} v${program.version}`);
      const later = body.at !== undefined && Date.parse(body.at) > clock.now();
      const publication = later
        ? await schedulePublication(
            db,
            program,
            {
              draftId: params.id,
              by: user.username,
              at: new Date(Date.parse(body.at as string)).toISOString(),
            },
            clock,
          )
        : await publishNow(db, program, { draftId: params.id, by: user.username }, clock);
      audit.details({
        draft: params.id,
        version: program.version,
        previousVersion: before?.version ?? null,
        publication: publication.id,
        status: publication.status,
        publishAt: publication.publishAt,
      });
      return publication;
    });
  },

  async cancelProgramPublication({ db, clock, user, params, audit }) {
    audit.target(`publication ${params.id}`);
    const cancelled = await refusalsAsHttp(() => cancelPublication(db, params.id, user.username, clock));
    audit.details({
      programId: cancelled.programId,
      version: cancelled.version,
      publishAt: cancelled.publishAt,
    });
    return cancelled;
  },
};
