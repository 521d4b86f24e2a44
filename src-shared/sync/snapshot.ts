// The member snapshot's wire format (GET /v1/snapshot/members), declared once for HQ, which writes it, and
// the till's main process, which reads and verifies it. A new till fills its empty replica from it and
// then pulls from the snapshot's checkpoint (docs/architecture.md section 6, "Bootstrap").
//
// The body is NDJSON (gzip-compressed on the wire when the till accepts it), one JSON value per line:
//   1. a header:   {"snapshot":"header","format":1,"collection":"members","checkpoint":{"seq":N},"after":K|null}
//   2. documents:  one live member document (MemberDoc, `_deleted: false`) per line, in member id order,
//                  every id after `after`;
//   3. after every `block` documents, and after the last (partial) block: a block line
//                  {"snapshot":"block","count":n,"last":"<id of its last document>","sha256":"<hex>"};
//   4. an end line {"snapshot":"end","count":<documents in this response>,"sha256":"<hex>"}.
// Checksums are chained: the header's digest is SHA-256(header line + "\n"); a block's is SHA-256(the
// previous digest in hex + every document line of the block, each with its "\n"); the end line repeats
// the last digest. The reader keeps a block's documents only once its digest matched, so a cut or damaged
// body loses at most the block under way, and a till that lost the connection asks again from the last
// verified block's `last` id, at the same checkpoint. A body without its end line is incomplete.
//
// The checkpoint is one from which pull replication continues without skipping: HQ takes it before it
// reads any member, so every member document is at least as new as the checkpoint, and whatever changed
// after it (deletions included) comes again through the pull.
import { z } from 'zod';
import { checkpointSchema } from './wire.js';

export const SNAPSHOT_FORMAT = 1;
/** Documents per checksummed block, by default and at most. */
export const SNAPSHOT_BLOCK = 1_000;
export const MAX_SNAPSHOT_BLOCK = 10_000;
export const SNAPSHOT_CONTENT_TYPE = 'application/x-ndjson';

const sha256HexSchema = z.string().regex(/^[0-9a-f]{64}$/);
const memberIdSchema = z.string().min(1).max(64);

/** The query of GET /v1/snapshot/members: resuming gives the checkpoint and the last id kept. */
export const snapshotQuerySchema = z
  .object({
    checkpoint: z.coerce.number().int().nonnegative().safe().optional(),
    after: memberIdSchema.optional(),
    block: z.coerce.number().int().min(1).max(MAX_SNAPSHOT_BLOCK).default(SNAPSHOT_BLOCK),
  })
  .strict()
  .refine((q) => q.after === undefined || q.checkpoint !== undefined, {
    message: 'resuming after a member needs the checkpoint the snapshot was started at',
    path: ['after'],
  });
export type SnapshotQuery = z.infer<typeof snapshotQuerySchema>;

export const snapshotHeaderSchema = z
  .object({
    snapshot: z.literal('header'),
    format: z.literal(SNAPSHOT_FORMAT),
    collection: z.literal('members'),
    checkpoint: checkpointSchema,
    after: memberIdSchema.nullable(),
  })
  .strict();
export type SnapshotHeader = z.infer<typeof snapshotHeaderSchema>;

export const snapshotBlockSchema = z
  .object({
    snapshot: z.literal('block'),
    count: z.number().int().positive(),
    last: memberIdSchema,
    sha256: sha256HexSchema,
  })
  .strict();
export type SnapshotBlock = z.infer<typeof snapshotBlockSchema>;

export const snapshotEndSchema = z
  .object({
    snapshot: z.literal('end'),
    count: z.number().int().nonnegative(),
    sha256: sha256HexSchema,
  })
  .strict();
export type SnapshotEnd = z.infer<typeof snapshotEndSchema>;

/** A control line (header, block, end); a document line has no `snapshot` member. */
export const snapshotControlSchema = z.discriminatedUnion('snapshot', [
  snapshotHeaderSchema,
  snapshotBlockSchema,
  snapshotEndSchema,
]);
export type SnapshotControl = z.infer<typeof snapshotControlSchema>;

/** Incremental SHA-256 over UTF-8 text (node:crypto at both ends: the checksum covers every byte). */
export interface Sha256 {
  update(text: string): void;
  hex(): string;
}

/**
 * The chained digests of one snapshot response, as both ends compute them: start() with the header line,
 * then line() for each document line of a block, then seal() at its block line.
 */
export class SnapshotChain {
  private digest = '';
  private block: Sha256 | null = null;

  constructor(private readonly create: () => Sha256) {}

  start(headerLine: string): string {
    const hash = this.create();
    hash.update(`${headerLine}\n`);
    this.digest = hash.hex();
    this.block = null;
    return this.digest;
  }

  line(documentLine: string): void {
    if (!this.block) {
      this.block = this.create();
      this.block.update(this.digest);
    }
    this.block.update(`${documentLine}\n`);
  }

  /** The digest of the block so far (the chain's digest when no line was added). */
  seal(): string {
    if (this.block) this.digest = this.block.hex();
    this.block = null;
    return this.digest;
  }

  get current(): string {
    return this.digest;
  }
}

/** The page of verified documents the host hands the renderer, and where the snapshot stands. */
export const snapshotPageSchema = z
  .object({
    /** Member documents, each checked against memberDocSchema by the host (the renderer does not again). */
    documents: z.array(z.unknown()),
    checkpoint: checkpointSchema,
    /** The id of the last document of this page (or the position asked from, when none). */
    last: memberIdSchema.nullable(),
    /** True once HQ's end line arrived and matched: there is nothing after `last`. */
    done: z.boolean(),
  })
  .strict();
export type SnapshotPage = z.infer<typeof snapshotPageSchema>;

/** Where the renderer asks the snapshot from: nothing yet (checkpoint null), or a checkpoint and the last id kept. */
export const snapshotPositionSchema = z
  .object({ checkpoint: checkpointSchema.nullable(), after: memberIdSchema.nullable() })
  .strict()
  .refine((p) => p.after === null || p.checkpoint !== null, {
    message: 'resuming after a member needs the checkpoint the snapshot was started at',
    path: ['after'],
  });
export type SnapshotPosition = z.infer<typeof snapshotPositionSchema>;
