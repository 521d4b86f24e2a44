// The wire protocol between terminals and HQ (docs/architecture.md section 6), validated with zod at both ends.
// Pull follows RxDB's replication shape: documents changed after a checkpoint, a new checkpoint, and
// tombstones (`_deleted: true`) instead of hard deletes.
import { z } from 'zod';
import { DEFAULT_LOCALE, localeSchema } from '../kernel/locale.js';
import { ledgerEventSchema, eventStatusSchema, type LedgerEvent } from '../ledger/events.js';
import { memberSchema, isoInstant } from '../ledger/member.js';
import { phoneCountrySchema, phoneKeySchema } from '../ledger/phone.js';
import { programSchema } from '../program/schema.js';
import { terminalCredentialSchema } from '../lan/credential.js';
import { publicKeyHexSchema } from '../lan/keys.js';
import { signedEventSchema } from '../lan/signature.js';

export const collectionNames = ['members', 'products', 'programs', 'cashiers', 'events'] as const;
export const collectionSchema = z.enum(collectionNames);
export type CollectionName = z.infer<typeof collectionSchema>;

/** HQ's position in a collection's change sequence; `null` asks from the beginning. */
export const checkpointSchema = z.object({ seq: z.number().int().nonnegative().safe() }).strict();
export type Checkpoint = z.infer<typeof checkpointSchema>;

export const MAX_PULL_BATCH = 5_000;
export const MAX_PUSH_BATCH = 1_000;

export const pullQuerySchema = z
  .object({
    checkpoint: z.coerce.number().int().nonnegative().safe().optional(),
    limit: z.coerce.number().int().min(1).max(MAX_PULL_BATCH).default(500),
  })
  .strict();
export type PullQuery = z.infer<typeof pullQuerySchema>;

const tombstone = { _deleted: z.boolean() };

export const memberDocSchema = memberSchema.extend(tombstone);
export type MemberDoc = z.infer<typeof memberDocSchema>;

export const productDocSchema = z
  .object({
    sku: z.string().min(1).max(64),
    gtin: z
      .string()
      .regex(/^\d{8,14}$/)
      .nullable(),
    name: z.string().min(1).max(120),
    category: z.string().min(1).max(64),
    /** Shelf price in minor units. */
    price: z.number().int().nonnegative().safe(),
    currency: z.string().regex(/^[A-Z]{3}$/),
    ...tombstone,
  })
  .strict();
export type ProductDoc = z.infer<typeof productDocSchema>;

export const programDocSchema = z
  .object({
    /** `<programId>@<version>`: versions are immutable documents. */
    id: z.string().min(1),
    programId: z.string().min(1),
    version: z.number().int().positive(),
    publishedAt: isoInstant,
    /** The version terminals quote with; exactly one per program. */
    current: z.boolean(),
    definition: programSchema,
    ...tombstone,
  })
  .strict();
export type ProgramDoc = z.infer<typeof programDocSchema>;

export const cashierRoleSchema = z.enum(['cashier', 'manager']);
export const cashierDocSchema = z
  .object({
    id: z.string().min(1).max(64),
    storeId: z.string().min(1).max(64),
    name: z.string().min(1).max(80),
    role: cashierRoleSchema,
    ...tombstone,
  })
  .strict();
/** A cashier or manager as replicated to the renderer: no PIN hash (those go to main only). */
export type CashierDoc = z.infer<typeof cashierDocSchema>;

/**
 * GET /v1/staff-pins: every current cashier and manager of the calling terminal's store with the salted,
 * slow hash of their PIN (`scrypt$N$r$p$salt$hash`). Only the terminal's main process asks for it and it
 * is no replicated collection, so the hashes never reach the renderer (docs/architecture.md section 3).
 */
export const staffPinSchema = z
  .object({
    id: z.string().min(1).max(64),
    name: z.string().min(1).max(80),
    role: cashierRoleSchema,
    pinHash: z.string().min(1).max(256),
  })
  .strict();
export type StaffPin = z.infer<typeof staffPinSchema>;
export const staffPinsResponseSchema = z.object({ staff: z.array(staffPinSchema) }).strict();
export type StaffPinsResponse = z.infer<typeof staffPinsResponseSchema>;

/** GET /v1/phone-key: the chain's phone key, for a terminal enrolled before HQ handed it at enrollment. */
export const phoneKeyResponseSchema = z.object({ phoneKey: phoneKeySchema }).strict();
export type PhoneKeyResponse = z.infer<typeof phoneKeyResponseSchema>;

/**
 * A store's counter settings, set at HQ (`stores` columns; CLI `store settings`, PATCH
 * /v1/admin/stores/:id/settings) and fetched by the terminal's main (GET /v1/store-settings) on start and
 * on every stream RESYNC: how long a member's screen stays up without input before the counter clears
 * itself, how long a cashier stays signed in without input, the store's nightly close time (HH:MM,
 * local), and its locale (the counter's language and number conventions; absent from a settings file kept
 * by an older till, hence the default).
 */
const storeSettingsShape = {
  memberIdleSeconds: z.number().int().min(15).max(3_600),
  signOutIdleMinutes: z.number().int().min(1).max(720),
  closeAt: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time HH:MM'),
  locale: localeSchema,
};
export const storeSettingsSchema = z
  .object({ ...storeSettingsShape, locale: localeSchema.default(DEFAULT_LOCALE) })
  .strict();
/**
 * A change HQ takes (CLI, admin API): any of the settings. Built without the locale's default, which would
 * otherwise put a change that leaves the locale out back to the default.
 */
export const storeSettingsChangeSchema = z.object(storeSettingsShape).partial().strict();
export type StoreSettingsChange = z.infer<typeof storeSettingsChangeSchema>;
export type StoreSettings = z.infer<typeof storeSettingsSchema>;
/** What a till uses before HQ has told it its store's settings (and HQ's column defaults). */
export const DEFAULT_STORE_SETTINGS: StoreSettings = {
  memberIdleSeconds: 90,
  signOutIdleMinutes: 15,
  closeAt: '23:30',
  locale: DEFAULT_LOCALE,
};
export const storeSettingsResponseSchema = z.object({ settings: storeSettingsSchema }).strict();
export type StoreSettingsResponse = z.infer<typeof storeSettingsResponseSchema>;

/** One of the calling terminal's own events, with HQ's verdict once recorded. */
export const eventDocSchema = z
  .object({
    id: z.string(),
    event: ledgerEventSchema,
    memberSeq: z.number().int().positive().nullable(),
    status: eventStatusSchema,
    reason: z.string().nullable(),
    recordedAt: isoInstant,
    ...tombstone,
  })
  .strict();
export type EventDoc = z.infer<typeof eventDocSchema>;

export const pullResponseSchema = <T extends z.ZodType>(doc: T) =>
  z.object({ documents: z.array(doc), checkpoint: checkpointSchema }).strict();
export type PullResponse<T> = { documents: T[]; checkpoint: Checkpoint };

export const pushRequestSchema = z
  .object({ events: z.array(ledgerEventSchema).min(1).max(MAX_PUSH_BATCH) })
  .strict();
export type PushRequest = z.infer<typeof pushRequestSchema>;

/**
 * POST /v1/events/relay (issue 16): a till hands HQ events of ANOTHER till of its store that it received on
 * the store LAN, each in its origin's signed envelope (src-shared/lan/signature.ts), so an event reaches HQ
 * even when its origin never comes back. Every envelope of one origin terminal, of the caller's store, not
 * the caller; HQ checks each signature against the origin's stored credential and refuses the batch whole
 * on any failure. The answer is a push's (pushResponseSchema): one result per event, in input order.
 */
export const relayRequestSchema = z
  .object({ events: z.array(signedEventSchema).min(1).max(MAX_PUSH_BATCH) })
  .strict();
export type RelayRequest = z.infer<typeof relayRequestSchema>;

/**
 * Per event: `stored` (new), `duplicate` (identical re-push: success), `conflict` (same id, different content:
 * kept aside in quarantine). Stored events may be flagged for review; they are never dropped.
 */
export const pushResultSchema = z
  .object({
    id: z.string(),
    outcome: z.enum(['stored', 'duplicate', 'conflict']),
    status: eventStatusSchema,
    memberSeq: z.number().int().positive().nullable(),
    reason: z.string().nullable(),
  })
  .strict();
export type PushResult = z.infer<typeof pushResultSchema>;
export const pushResponseSchema = z.object({ results: z.array(pushResultSchema) }).strict();
export type PushResponse = z.infer<typeof pushResponseSchema>;

export const enrollRequestSchema = z
  .object({
    code: z.string().min(6).max(64),
    name: z.string().min(1).max(80),
    /**
     * The Ed25519 public key the terminal made for the store LAN (issue 16); its secret never leaves the
     * terminal's main process. Optional: a terminal that sends none enrolls as before, with no credential.
     */
    publicKey: publicKeyHexSchema.optional(),
  })
  .strict();
export const enrollResponseSchema = z
  .object({
    terminalId: z.string(),
    storeId: z.string(),
    /**
     * The store's country (ISO 3166-1 alpha-2): how the till reads a phone number typed without its
     * international prefix. Optional so a terminal still enrolls with an HQ that does not send it.
     */
    country: phoneCountrySchema.optional(),
    token: z.string().min(32),
    /**
     * The chain's phone key (src-shared/ledger/phone.ts): kept by the terminal's main process with the
     * credential, never given to the renderer. Optional so a terminal still enrolls with an older HQ.
     */
    phoneKey: phoneKeySchema.optional(),
    hqProtocol: z.number().int(),
    /**
     * When the terminal sent a public key: HQ's credential over it (src-shared/lan/credential.ts) and HQ's
     * public key, with which the till checks its peers' credentials. Absent otherwise (and from older HQs).
     */
    credential: terminalCredentialSchema.optional(),
    hqPublicKey: publicKeyHexSchema.optional(),
  })
  .strict();
export type EnrollResponse = z.infer<typeof enrollResponseSchema>;

/**
 * A till's LAN address as it reports it to HQ (PUT /v1/terminals/me/lan) and HQ hands it to the store's
 * other tills: `host:port`, where the host is on the store's own network only. A private IPv4 address
 * (10/8, 172.16/12, 192.168/16), an IPv6 unique-local address in brackets (`[fd12::5]:7443`), or a LAN
 * host name: one label (`till-2`) or an mDNS name (`till-2.local`). Public addresses, loopback and public
 * DNS names are refused: HQ must never tell a till to connect to the internet or to itself. Ports 1024 and
 * up (a till serves as an unprivileged user). Lower case, one spelling per address.
 */
export const MAX_LAN_ADDRESSES = 8;
const LAN_PORT_MIN = 1_024;
const HOST_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

function privateIpv4(host: string): boolean {
  const parts = host.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p))) return false;
  const [a, b] = parts.map(Number) as [number, number, number, number];
  if (parts.map(Number).some((n) => n > 255)) return false;
  return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
}

function uniqueLocalIpv6(host: string): boolean {
  // fc00::/7, written in lower case; zod checks the rest of the form.
  return /^f[cd][0-9a-f]{0,2}:/.test(host) && z.ipv6().safeParse(host).success;
}

function lanHostName(host: string): boolean {
  const labels = host.endsWith('.local') ? host.slice(0, -'.local'.length).split('.') : [host];
  // A single label that is all digits would read as a (non-LAN) IPv4 number.
  return (
    labels.length >= 1 &&
    labels.every((l) => HOST_LABEL.test(l)) &&
    !(labels.length === 1 && /^\d+$/.test(labels[0] ?? ''))
  );
}

/** Whether `text` is a LAN `host:port` as described above. */
export function isLanAddress(text: string): boolean {
  const match = /^(?:\[([0-9a-f:.]+)\]|([a-z0-9.-]+)):([1-9]\d{3,4})$/.exec(text);
  if (!match) return false;
  const port = Number(match[3]);
  if (port < LAN_PORT_MIN || port > 65_535) return false;
  if (match[1] !== undefined) return uniqueLocalIpv6(match[1]);
  const host = match[2] ?? '';
  return /^[\d.]+$/.test(host) ? privateIpv4(host) : lanHostName(host);
}

export const lanAddressSchema = z
  .string()
  .max(300)
  .refine(
    isLanAddress,
    'a LAN host:port: a private IPv4 address, [an IPv6 unique-local address], or a LAN host name ' +
      '(one label or name.local), and a port 1024-65535',
  );

/** PUT /v1/terminals/me/lan: the calling terminal's LAN addresses, replacing the last report ([] clears). */
export const lanReportSchema = z
  .object({
    addresses: z
      .array(lanAddressSchema)
      .max(MAX_LAN_ADDRESSES)
      .refine((list) => new Set(list).size === list.length, 'each address once'),
  })
  .strict();
export type LanReport = z.infer<typeof lanReportSchema>;
export const lanReportResponseSchema = z
  .object({ addresses: z.array(lanAddressSchema), reportedAt: isoInstant })
  .strict();
export type LanReportResponse = z.infer<typeof lanReportResponseSchema>;

/** One peer in GET /v1/store/peers: a live terminal of the caller's store that has a credential. */
export const storePeerSchema = z
  .object({
    credential: terminalCredentialSchema,
    /** The addresses it last reported (empty: none; find it by DNS-SD or the manual list). */
    lanAddresses: z.array(lanAddressSchema).max(MAX_LAN_ADDRESSES),
    lanReportedAt: isoInstant.nullable(),
  })
  .strict();
export type StorePeer = z.infer<typeof storePeerSchema>;

/**
 * GET /v1/store/peers (terminal token): what a till needs to admit its store's other tills on the LAN
 * (src-shared/lan/credential.ts admitPeer): HQ's public key, the credentials of the store's other live
 * terminals, and the keys HQ revoked in this store. The caller itself is not listed.
 */
export const storePeersResponseSchema = z
  .object({
    hqPublicKey: publicKeyHexSchema,
    storeId: z.string().min(1).max(64),
    peers: z.array(storePeerSchema),
    revokedKeys: z.array(publicKeyHexSchema),
  })
  .strict();
export type StorePeersResponse = z.infer<typeof storePeersResponseSchema>;

/** A terminal's own figures for one business day, reconciled against HQ's. */
export const closeFiguresSchema = z
  .object({
    businessDay: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    firstSeq: z.number().int().nonnegative(),
    lastSeq: z.number().int().nonnegative(),
    count: z.number().int().nonnegative(),
    lastHash: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .nullable(),
    pointsIssued: z.number().int().nonnegative().safe(),
    pointsRedeemed: z.number().int().nonnegative().safe(),
  })
  .strict();
export type CloseFigures = z.infer<typeof closeFiguresSchema>;

export const closeResponseSchema = z
  .object({
    status: z.enum(['match', 'mismatch']),
    hq: closeFiguresSchema,
    differences: z.array(z.object({ field: z.string(), terminal: z.unknown(), hq: z.unknown() }).strict()),
    /** terminalSeq ranges HQ has not received, e.g. [[41, 42]]. */
    missing: z.array(z.tuple([z.number().int(), z.number().int()])),
  })
  .strict();
export type CloseResponse = z.infer<typeof closeResponseSchema>;

export const lookupQuerySchema = z
  .object({
    card: z.string().min(1).max(64).optional(),
    phoneHash: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .optional(),
  })
  .strict()
  .refine((q) => (q.card ? 1 : 0) + (q.phoneHash ? 1 : 0) === 1, 'give exactly one of card or phoneHash');
export const lookupResponseSchema = z.object({ members: z.array(memberDocSchema) }).strict();

/** /v1/health's body, 200 (`ok`) and 503 (`degraded`, the database unreachable) alike. */
export const healthSchema = z
  .object({
    status: z.enum(['ok', 'degraded']),
    version: z.string(),
    protocol: z.number().int(),
    database: z.enum(['postgres', 'pglite']),
    databaseState: z
      .object({
        reachable: z.boolean(),
        latencyMs: z.number().int().nonnegative().optional(),
        unavailableSince: z.iso.datetime().optional(),
        lastOutage: z
          .object({ from: z.iso.datetime(), to: z.iso.datetime(), reason: z.string() })
          .strict()
          .optional(),
      })
      .strict(),
  })
  .strict();
export type Health = z.infer<typeof healthSchema>;

/** Server-sent event stream: `RESYNC` on every (re)connect, then `changed` whenever a collection moved. */
export const streamMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('RESYNC') }).strict(),
  z.object({ type: z.literal('changed'), collections: z.array(collectionSchema) }).strict(),
]);
export type StreamMessage = z.infer<typeof streamMessageSchema>;

/** Every error body HQ sends: a code a program can branch on and words a person can read. */
export const errorBodySchema = z
  .object({
    error: z.string(),
    message: z.string(),
    problems: z.array(z.object({ path: z.string(), message: z.string() }).strict()).optional(),
  })
  .strict();
export type ErrorBody = z.infer<typeof errorBodySchema>;

/**
 * The points an event moves, as the day close counts them (both ends use this, so their figures agree):
 * `issued` = points credited (earns, bonuses, welcome bonuses, positive adjustments, a voided debit given
 * back), `redeemed` = points debited (redemptions, negative adjustments, a voided credit or returned lines'
 * points taken back).
 * Expiry is neither: it is HQ's, never a terminal's.
 */
export function closePointFlows(event: LedgerEvent): { issued: number; redeemed: number } {
  const flows = { issued: 0, redeemed: 0 };
  const add = (delta: number): void => {
    if (delta > 0) flows.issued += delta;
    else flows.redeemed += -delta;
  };
  const delta = (e: LedgerEvent): number => {
    switch (e.type) {
      case 'member-enrolled':
        return e.payload.welcomeBonus;
      case 'points-earned':
        return e.payload.points;
      case 'bonus-awarded':
        return e.payload.points;
      case 'points-adjusted':
        return e.payload.points;
      case 'points-redeemed':
        return -e.payload.cost;
      case 'event-voided':
        return -delta(e.payload.original);
      case 'points-returned':
        return -e.payload.points;
      default:
        return 0;
    }
  };
  add(delta(event));
  return flows;
}

/**
 * A terminal's close figures for one business day from that day's events of the terminal (in any order).
 * With no events: sequence numbers 0, count 0, lastHash null.
 */
export function closeFiguresFromEvents(businessDay: string, events: readonly LedgerEvent[]): CloseFigures {
  const sorted = [...events].sort((a, b) => a.terminalSeq - b.terminalSeq);
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  let pointsIssued = 0;
  let pointsRedeemed = 0;
  for (const e of sorted) {
    const flows = closePointFlows(e);
    pointsIssued += flows.issued;
    pointsRedeemed += flows.redeemed;
  }
  return {
    businessDay,
    firstSeq: first?.terminalSeq ?? 0,
    lastSeq: last?.terminalSeq ?? 0,
    count: sorted.length,
    lastHash: last?.hash ?? null,
    pointsIssued,
    pointsRedeemed,
  };
}
