// The schemas of TerminalApi's HQ methods (terminal-api.ts pairs them with their channels). The renderer's
// replication calls these methods; the host (Electron main or the browser host) does the HTTP and the
// event stream and holds the terminal credential, so neither the token nor HQ's address ever reaches the
// renderer. Failures come back as values, not exceptions: they must survive Electron IPC and a WebSocket
// intact, and "HQ is unreachable" is normal, not exceptional.
//
// The zod schemas below are used at both ends of the boundary: the host validates what the renderer asks
// (arguments), the preload validates what the host answers (results and stream messages).
import { phoneCountrySchema } from '../ledger/phone.js';
import { z } from 'zod';
import type { Result } from '../kernel/result.js';
import { ledgerEventSchema } from '../ledger/events.js';
import {
  checkpointSchema,
  closeFiguresSchema,
  closeResponseSchema,
  collectionSchema,
  enrollRequestSchema,
  MAX_PULL_BATCH,
  MAX_PUSH_BATCH,
  memberDocSchema,
  pushResponseSchema,
  storeSettingsSchema,
  streamMessageSchema,
  type StreamMessage,
} from '../sync/wire.js';
import { MAX_SNAPSHOT_BLOCK, snapshotPageSchema, snapshotPositionSchema } from '../sync/snapshot.js';

export const hqErrorCodeSchema = z.enum([
  /** HQ could not be reached (network down, HQ down, timeout): work offline and retry. */
  'offline',
  /**
   * This terminal has no usable credential: enroll it with a one-time code. Also when the credential
   * cannot be kept safely (no OS keyring) or was issued by another HQ than the configured one.
   */
  'not-enrolled',
  /** HQ refused the credential (revoked): a manager must enroll the terminal again. */
  'unauthorised',
  /** HQ needs a newer terminal (HTTP 426). */
  'upgrade-required',
  /**
   * The request is invalid (HQ answered 4xx, or the host refused the renderer's arguments before any
   * request): retrying the same request will not help. `problems` says what is wrong, by path.
   */
  'rejected',
  /** HQ failed (HTTP 5xx, or an answer that does not fit the protocol): retry later. */
  'server-error',
]);
export type HqErrorCode = z.infer<typeof hqErrorCodeSchema>;

export const hqErrorSchema = z
  .object({
    code: hqErrorCodeSchema,
    message: z.string(),
    problems: z.array(z.object({ path: z.string(), message: z.string() }).strict()).optional(),
  })
  .strict();
export type HqError = z.infer<typeof hqErrorSchema>;

export type HqResult<T> = Result<T, HqError>;

/** The schema of an HqResult whose value fits `value`. */
export const hqResultSchema = <T extends z.ZodType>(value: T) =>
  z.union([
    z.object({ ok: z.literal(true), value }).strict(),
    z.object({ ok: z.literal(false), error: hqErrorSchema }).strict(),
  ]);

export const hqLinkStatusSchema = z
  .object({
    enrolled: z.boolean(),
    terminalId: z.string().nullable(),
    storeId: z.string().nullable(),
    /** The store's country for typed phone numbers, from the enrollment (null: not known). */
    country: phoneCountrySchema.nullable().optional(),
    /** The store's counter settings as main last fetched them from HQ (absent: none yet, use defaults). */
    storeSettings: storeSettingsSchema.optional(),
    /** Whether the last request or the event stream reached HQ. */
    online: z.boolean(),
    /** Last successful contact with HQ, ISO time. */
    lastContactAt: z.string().nullable(),
    lastError: hqErrorSchema.nullable(),
  })
  .strict();
export type HqLinkStatus = z.infer<typeof hqLinkStatusSchema>;

/** What the stream listener hears: HQ's messages, plus the host saying the stream dropped. */
export type HqStreamMessage = StreamMessage | { type: 'DISCONNECTED' };
export const hqStreamMessageSchema: z.ZodType<HqStreamMessage> = z.union([
  streamMessageSchema,
  z.object({ type: z.literal('DISCONNECTED') }).strict(),
]);

// Arguments, as the host validates them (the renderer is not trusted to send what the types say).
/**
 * The renderer gives the code and the terminal's name only: the host makes the store-LAN key pair itself
 * (issue 16), so a renderer can neither choose the key nor see its secret.
 */
export const hqEnrollInputSchema = enrollRequestSchema.omit({ publicKey: true });
export const hqPullArgsSchema = z.tuple([
  collectionSchema,
  checkpointSchema.nullable(),
  z.number().int().min(1).max(MAX_PULL_BATCH),
]);
/** (position, limit): where the member snapshot is read from, and documents wanted at least. */
export const hqSnapshotArgsSchema = z.tuple([
  snapshotPositionSchema,
  z.number().int().min(1).max(MAX_SNAPSHOT_BLOCK),
]);
export const hqPushEventsSchema = z.array(ledgerEventSchema).min(1).max(MAX_PUSH_BATCH);
export const hqCloseFiguresSchema = closeFiguresSchema;
export const hqLookupQuerySchema = z.union([
  z.object({ card: z.string().min(1).max(64) }).strict(),
  z
    .object({
      phoneHash: z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 hex digest'),
    })
    .strict(),
]);
export type HqLookupQuery = z.infer<typeof hqLookupQuerySchema>;

// Values, as the preload validates them.
export const hqEnrolledSchema = z
  .object({ terminalId: z.string(), storeId: z.string(), country: phoneCountrySchema.optional() })
  .strict();
/** Documents are checked against their collection's schema by the host; the renderer checks them again. */
export const hqPullPageSchema = z
  .object({ documents: z.array(z.unknown()), checkpoint: checkpointSchema })
  .strict();
export const replicationKeySchema = z.string().regex(/^[0-9a-f]{64}$/);

export const hqEnrollResultSchema = hqResultSchema(hqEnrolledSchema);
export const hqPullResultSchema = hqResultSchema(hqPullPageSchema);
/** Snapshot documents were checked by the host (snapshot-relay.ts); the renderer does not check them again. */
export const hqSnapshotResultSchema = hqResultSchema(snapshotPageSchema);
export const hqPushResultSchema = hqResultSchema(pushResponseSchema);
export const hqCloseResultSchema = hqResultSchema(closeResponseSchema);
export const hqLookupResultSchema = hqResultSchema(z.array(memberDocSchema));

/** The HQ part of TerminalApi (its methods on `terminal:hq-*` channels): what a TerminalLink implements. */
export type { HqApi } from './terminal-api.js';
