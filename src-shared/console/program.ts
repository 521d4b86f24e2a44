// The console's program endpoints (HQ's handlers in src-hq/api/console/program.ts): the published versions
// and their diff, drafts (kept valid or not, with every problem and its path), a basket simulated under a
// draft and the current version side by side, and publishing a draft now or at a set time (cancellable
// until it runs). Everyone who reads the program may look; program managers and admins change it.
import { z } from 'zod';
import { explanationLineSchema } from '../ledger/events.js';
import { endpoint, PROGRAM_ROLES, READ_ROLES } from './endpoint.js';

const id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const idParams = z.object({ id }).strict();
const instant = z.iso.datetime({ offset: true });
const reason = z.string().trim().max(500).optional();

export const problemSchema = z.object({ path: z.string(), message: z.string() });

export const versionSchema = z.object({
  programId: z.string(),
  version: z.number().int(),
  name: z.string(),
  publishedAt: z.string(),
  /** The console user who published it; null when it was published otherwise (CLI, demo seed). */
  publishedBy: z.string().nullable(),
  current: z.boolean(),
});
export type ProgramVersionSummary = z.infer<typeof versionSchema>;

export const publicationSchema = z.object({
  id: z.number().int(),
  draftId: z.number().int().nullable(),
  programId: z.string(),
  version: z.number().int(),
  publishAt: z.string(),
  status: z.enum(['scheduled', 'published', 'cancelled', 'failed']),
  requestedBy: z.string(),
  requestedAt: z.string(),
  publishedAt: z.string().nullable(),
  cancelledBy: z.string().nullable(),
  cancelledAt: z.string().nullable(),
  /** Why a scheduled publication could not be published when it was due. */
  failure: z.string().nullable(),
});
export type ProgramPublication = z.infer<typeof publicationSchema>;

export const draftSchema = z.object({
  id: z.number().int(),
  programId: z.string().nullable(),
  version: z.number().int().nullable(),
  name: z.string().nullable(),
  /** Every problem with its path; [] when the draft can be simulated and published. */
  problems: z.array(problemSchema),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedBy: z.string(),
  updatedAt: z.string(),
  scheduled: publicationSchema.nullable(),
});
export type ProgramDraft = z.infer<typeof draftSchema>;

export const programChangeSchema = z.object({
  section: z.enum([
    'program',
    'earning',
    'rules',
    'bonuses',
    'actions',
    'rewards',
    'tiers',
    'expiry',
    'plans',
    'offline',
    'adjustments',
    'cards',
    'staff',
  ]),
  change: z.enum(['added', 'removed', 'changed', 'reordered']),
  id: z.string().nullable(),
  label: z.string().nullable(),
  fields: z.array(z.object({ path: z.string(), before: z.unknown(), after: z.unknown() })),
});

/** A program document as JSON (a version as published, or a draft as uploaded). */
const documentSchema = z.unknown();

const draftBody = z
  .object({
    /** The program document (JSON): kept even when it has problems, which the answer lists. */
    document: documentSchema.refine((d) => d !== undefined, 'the program document is missing'),
    reason,
  })
  .strict();

export const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d$/;

export const simulationLineSchema = z
  .object({
    /** A SKU, a category, or both; with a SKU alone HQ takes its category from the catalogue. */
    sku: z.string().trim().min(1).max(64).optional(),
    category: z.string().trim().min(1).max(64).optional(),
    quantity: z.number().int().min(1).max(10_000),
    /** What the whole line costs, minor units. */
    amount: z.number().int().min(0).max(100_000_000),
  })
  .strict()
  .refine((l) => l.sku !== undefined || l.category !== undefined, {
    message: 'give a SKU or a category',
    path: ['sku'],
  });
export type SimulationLineInput = z.infer<typeof simulationLineSchema>;

export const simulationBodySchema = z
  .object({
    lines: z.array(simulationLineSchema).min(1).max(100),
    /** The member's tier id; null or omitted for a member without one. */
    tier: z.string().trim().min(1).max(64).nullable().default(null),
    /** The store's wall-clock date and time of the purchase. */
    localDateTime: z.string().regex(LOCAL_DATE_TIME, 'a local date and time YYYY-MM-DDTHH:MM'),
  })
  .strict();

const simulatedVersionSchema = z.object({
  programId: z.string(),
  version: z.number().int(),
  points: z.number().int(),
  explanation: z.array(explanationLineSchema),
  lines: z.array(
    z.object({
      points: z.number().int(),
      excluded: z.boolean(),
      explanation: z.array(explanationLineSchema),
    }),
  ),
  basketLevel: z.number().int(),
  at: z.string(),
  notes: z.array(z.string()),
});

export const simulationSchema = z.object({
  /** The lines as simulated (categories filled in from the catalogue). */
  lines: z.array(
    z.object({ sku: z.string(), category: z.string(), quantity: z.number(), amount: z.number() }),
  ),
  draft: simulatedVersionSchema,
  current: simulatedVersionSchema.nullable(),
  difference: z.object({ points: z.number().int(), lines: z.array(z.number().int()) }).nullable(),
});
export type Simulation = z.infer<typeof simulationSchema>;

export const programEndpoints = {
  programVersions: endpoint({
    method: 'GET',
    path: '/v1/console/program/versions',
    roles: READ_ROLES,
    summary: 'Published program versions (newest first, who published them) and the publications asked for.',
    response: z.object({ versions: z.array(versionSchema), publications: z.array(publicationSchema) }),
  }),
  programVersion: endpoint({
    method: 'GET',
    path: '/v1/console/program/versions/:programId/:version',
    roles: READ_ROLES,
    summary: 'One published version as JSON.',
    params: z.object({ programId: z.string().min(1).max(64), version: id }).strict(),
    response: z.object({ program: z.record(z.string(), z.unknown()) }),
  }),
  programDiff: endpoint({
    method: 'GET',
    path: '/v1/console/program/diff',
    roles: READ_ROLES,
    summary:
      'What changes from one version (default: the current) to another version or a draft: added, removed, changed with before and after.',
    query: z
      .object({
        /** The older side: a version of the current program; omitted: the current version. */
        from: id.optional(),
        /** The newer side: a version number… */
        to: id.optional(),
        /** …or a (valid) draft. */
        draft: id.optional(),
      })
      .strict()
      .refine((q) => (q.to === undefined) !== (q.draft === undefined), {
        message: 'name either a version (to) or a draft (draft)',
        path: ['to'],
      }),
    response: z.object({
      from: z.object({ programId: z.string(), version: z.number().int() }),
      to: z.object({ programId: z.string(), version: z.number().int(), draft: z.number().int().nullable() }),
      changes: z.array(programChangeSchema),
    }),
  }),
  programDrafts: endpoint({
    method: 'GET',
    path: '/v1/console/program/drafts',
    roles: READ_ROLES,
    summary: 'The drafts, newest first, each with its problems and any scheduled publication.',
    response: z.object({ drafts: z.array(draftSchema) }),
  }),
  programDraft: endpoint({
    method: 'GET',
    path: '/v1/console/program/drafts/:id',
    roles: READ_ROLES,
    summary: 'One draft with its document as uploaded.',
    params: idParams,
    response: z.object({ draft: draftSchema, document: documentSchema }),
  }),
  createProgramDraft: endpoint({
    method: 'POST',
    path: '/v1/console/program/drafts',
    roles: PROGRAM_ROLES,
    summary:
      'Upload a draft program (JSON). It is kept even when invalid; the answer lists every problem with its path.',
    body: draftBody,
    response: draftSchema,
    audit: 'program.draft-create',
  }),
  replaceProgramDraft: endpoint({
    method: 'PUT',
    path: '/v1/console/program/drafts/:id',
    roles: PROGRAM_ROLES,
    summary: 'Replace a draft’s document (a fix), checked again; refused while it is scheduled.',
    params: idParams,
    body: draftBody,
    response: draftSchema,
    audit: 'program.draft-replace',
  }),
  deleteProgramDraft: endpoint({
    method: 'DELETE',
    path: '/v1/console/program/drafts/:id',
    roles: PROGRAM_ROLES,
    summary: 'Remove a draft; refused while it is scheduled.',
    params: idParams,
    body: z.object({ reason }).strict(),
    response: z.object({ deleted: z.literal(true) }),
    audit: 'program.draft-delete',
  }),
  simulateProgramDraft: endpoint({
    method: 'POST',
    path: '/v1/console/program/drafts/:id/simulate',
    roles: READ_ROLES,
    summary:
      'What a basket earns under a valid draft and under the current version, line by line with the engine’s explanation, and the difference.',
    params: idParams,
    body: simulationBodySchema,
    response: simulationSchema,
    audit: 'program.simulate',
  }),
  publishProgramDraft: endpoint({
    method: 'POST',
    path: '/v1/console/program/drafts/:id/publish',
    roles: PROGRAM_ROLES,
    summary:
      'Publish a valid draft now (it becomes the current version terminals quote with) or at a set time (`at`).',
    params: idParams,
    body: z
      .object({
        /** When to publish; omitted or not in the future: now. */
        at: instant.optional(),
        reason,
      })
      .strict(),
    response: publicationSchema,
    audit: 'program.publish',
  }),
  cancelProgramPublication: endpoint({
    method: 'POST',
    path: '/v1/console/program/publications/:id/cancel',
    roles: PROGRAM_ROLES,
    summary: 'Cancel a scheduled publication that has not run.',
    params: idParams,
    body: z.object({ reason }).strict(),
    response: publicationSchema,
    audit: 'program.publication-cancel',
  }),
};
