// The console's fleet endpoints: stores (with their counter settings), their terminals (enrollment codes,
// revocation, last seen, what HQ holds from each and its last day close) and their cashiers (add,
// disable/enable, reset PIN). Declared here once; HQ's handlers are in src-hq/api/console/fleet.ts.
// Store managers see and work only their own stores; analysts and program managers read.
import { z } from 'zod';
import { cashierRoleSchema, storeSettingsChangeSchema, storeSettingsSchema } from '../sync/wire.js';
import { ANY_ROLE, endpoint, type ConsoleRole } from './endpoint.js';

/** Who works a store's terminals and cashiers: the admin, and the store's own managers. */
export const FLEET_WRITE_ROLES: readonly ConsoleRole[] = ['admin', 'store-manager'];

const id = z.string().min(1).max(64);
const instant = z.string();
const count = z.number().int().nonnegative();
const reason = z.string().trim().max(500).optional();

const storeParams = z.object({ storeId: id }).strict();
const terminalParams = z.object({ storeId: id, terminalId: id }).strict();
const cashierParams = z.object({ storeId: id, cashierId: id }).strict();

export const fleetStoreSchema = z.object({
  id: z.string(),
  name: z.string(),
  timeZone: z.string(),
  /** ISO 3166-1 alpha-2. */
  country: z.string(),
  createdAt: instant,
  /** Enrolled and not revoked. */
  terminals: count,
  /** Members enrolled at this store. */
  members: count,
  /** Cashiers and managers not disabled. */
  cashiers: count,
});
export type FleetStore = z.infer<typeof fleetStoreSchema>;

/**
 * How a terminal looks from HQ: `online` when HQ heard from it (a pull, a push, an open stream) within
 * ONLINE_WITHIN_MS, `stale` when longer ago, `never-seen` when enrolled but never heard from since HQ
 * began recording, `revoked` when its token no longer works.
 */
export const TERMINAL_STATUSES = ['online', 'stale', 'never-seen', 'revoked'] as const;
export type TerminalStatus = (typeof TERMINAL_STATUSES)[number];

/** HQ records "last seen" at most once a minute per terminal, so a few minutes of silence is still online. */
export const ONLINE_WITHIN_MS = 3 * 60_000;

/** A terminal's status at `now` (ms) from what HQ recorded. */
export function terminalStatus(
  terminal: { revokedAt: string | null; lastSeenAt: string | null },
  now: number,
): TerminalStatus {
  if (terminal.revokedAt !== null) return 'revoked';
  if (terminal.lastSeenAt === null) return 'never-seen';
  return now - Date.parse(terminal.lastSeenAt) <= ONLINE_WITHIN_MS ? 'online' : 'stale';
}

/**
 * Events a terminal has that HQ does not, as far as HQ can tell: the sequence numbers below the head it
 * received that it holds no event for (gaps), and those its last day close reported beyond that head.
 */
export function pendingEvents(terminal: {
  lastSeq: number;
  eventsReceived: number;
  reportedLastSeq: number | null;
}): number {
  const gaps = Math.max(0, terminal.lastSeq - terminal.eventsReceived);
  const ahead =
    terminal.reportedLastSeq === null ? 0 : Math.max(0, terminal.reportedLastSeq - terminal.lastSeq);
  return gaps + ahead;
}

const figure = z.union([z.number(), z.string(), z.null()]);

export const dayCloseSchema = z.object({
  businessDay: z.string(),
  closedAt: instant,
  status: z.enum(['match', 'mismatch']),
  /** The figures that differ, the terminal's against HQ's. */
  differences: z.array(z.object({ field: z.string(), terminal: figure, hq: figure })),
  /** terminalSeq ranges HQ had not received at the close, e.g. [[41, 42]]. */
  missing: z.array(z.tuple([z.number().int(), z.number().int()])),
});
export type DayClose = z.infer<typeof dayCloseSchema>;

export const fleetTerminalSchema = z.object({
  id: z.string(),
  name: z.string(),
  enrolledAt: instant.nullable(),
  revokedAt: instant.nullable(),
  lastSeenAt: instant.nullable(),
  status: z.enum(TERMINAL_STATUSES),
  /** The head of its event chain as HQ received it. */
  lastSeq: count,
  /** Events HQ holds from it. */
  eventsReceived: count,
  /** Of those, events not applied yet: their member's enrollment has not reached HQ. */
  eventsWaiting: count,
  /** The last sequence number the terminal reported (its last day close), null before any close. */
  reportedLastSeq: count.nullable(),
  /** Events the terminal has and HQ does not, as far as HQ can tell (pendingEvents). */
  pending: count,
  /** Review items open for it, by kind (a gap in its sequence, a close mismatch, a held event…). */
  openReviews: z.array(z.object({ kind: z.string(), count })),
  lastClose: dayCloseSchema.nullable(),
});
export type FleetTerminal = z.infer<typeof fleetTerminalSchema>;

export const fleetCashierSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: cashierRoleSchema,
  /** A disabled cashier cannot sign in at the store's tills (their PIN is withdrawn from them). */
  disabled: z.boolean(),
});
export type FleetCashier = z.infer<typeof fleetCashierSchema>;

/** A PIN typed by the manager; its length is also checked against the chain's (the program's staff.pinLength). */
const pinSchema = z.string().regex(/^\d{4,8}$/, 'a PIN is 4 to 8 digits');

export const fleetEndpoints = {
  listStores: endpoint({
    method: 'GET',
    path: '/v1/console/stores',
    roles: ANY_ROLE,
    summary:
      'The stores the user may see (a store manager: theirs), with their counts of terminals, members and cashiers.',
    response: z.object({ stores: z.array(fleetStoreSchema) }),
  }),
  createStore: endpoint({
    method: 'POST',
    path: '/v1/console/stores',
    roles: ['admin'],
    summary: 'Add a store: id, name, IANA time zone and country (ISO 3166-1 alpha-2).',
    body: z
      .object({
        id,
        name: z.string().trim().min(1).max(120),
        timeZone: z.string().min(1).max(64),
        country: z.string().length(2).optional(),
      })
      .strict(),
    response: fleetStoreSchema,
    audit: 'store.create',
  }),
  getStore: endpoint({
    method: 'GET',
    path: '/v1/console/stores/:storeId',
    roles: ANY_ROLE,
    summary: 'One store with its counter settings (idle timeouts, close time, locale).',
    params: storeParams,
    response: z.object({ store: fleetStoreSchema, settings: storeSettingsSchema }),
  }),
  changeStoreSettings: endpoint({
    method: 'PATCH',
    path: '/v1/console/stores/:storeId/settings',
    roles: FLEET_WRITE_ROLES,
    summary:
      'Change a store\u2019s counter settings; its tills take them on their next stream (re)connection.',
    params: storeParams,
    body: storeSettingsChangeSchema.extend({ reason }).strict(),
    response: z.object({ settings: storeSettingsSchema }),
    audit: 'store.settings',
  }),
  listTerminals: endpoint({
    method: 'GET',
    path: '/v1/console/stores/:storeId/terminals',
    roles: ANY_ROLE,
    summary:
      'A store\u2019s terminals: enrolled, revoked, last seen, events HQ holds and waiting, open reviews, last day close.',
    params: storeParams,
    response: z.object({
      terminals: z.array(fleetTerminalSchema),
      /** HQ's clock when it answered: the instant each status is reckoned at. */
      now: instant,
    }),
  }),
  createEnrollmentCode: endpoint({
    method: 'POST',
    path: '/v1/console/stores/:storeId/enrollment-codes',
    roles: FLEET_WRITE_ROLES,
    summary:
      'A one-time code that enrolls one terminal into the store (shown once; audited without the code).',
    params: storeParams,
    body: z
      .object({
        ttlHours: z
          .number()
          .positive()
          .max(24 * 30)
          .optional(),
        reason,
      })
      .strict(),
    response: z.object({ storeId: z.string(), code: z.string(), expiresAt: instant }),
    audit: 'terminal.enrollment-code',
  }),
  revokeTerminal: endpoint({
    method: 'POST',
    path: '/v1/console/stores/:storeId/terminals/:terminalId/revoke',
    roles: FLEET_WRITE_ROLES,
    summary: 'Revoke a terminal: its token stops working and its live stream ends.',
    params: terminalParams,
    body: z.object({ reason }).strict(),
    response: z.object({ terminalId: z.string(), revokedAt: instant }),
    audit: 'terminal.revoke',
  }),
  listCashiers: endpoint({
    method: 'GET',
    path: '/v1/console/stores/:storeId/cashiers',
    roles: ANY_ROLE,
    summary: 'A store\u2019s cashiers and managers, disabled ones included, by name.',
    params: storeParams,
    response: z.object({
      cashiers: z.array(fleetCashierSchema),
      /** How many digits a PIN has in this chain (the current program's staff.pinLength). */
      pinLength: z.object({ min: z.number().int(), max: z.number().int() }),
    }),
  }),
  addCashier: endpoint({
    method: 'POST',
    path: '/v1/console/stores/:storeId/cashiers',
    roles: FLEET_WRITE_ROLES,
    summary: 'Add a cashier or manager with a first PIN (stored hashed; it reaches the store\u2019s tills).',
    params: storeParams,
    body: z
      .object({ name: z.string().trim().min(1).max(80), role: cashierRoleSchema, pin: pinSchema, reason })
      .strict(),
    response: fleetCashierSchema,
    audit: 'cashier.add',
  }),
  changeCashier: endpoint({
    method: 'PATCH',
    path: '/v1/console/stores/:storeId/cashiers/:cashierId',
    roles: FLEET_WRITE_ROLES,
    summary: 'Rename, change the role of, disable or enable a cashier; the tills follow.',
    params: cashierParams,
    body: z
      .object({
        name: z.string().trim().min(1).max(80).optional(),
        role: cashierRoleSchema.optional(),
        disabled: z.boolean().optional(),
        reason,
      })
      .strict(),
    response: fleetCashierSchema,
    audit: 'cashier.change',
  }),
  resetCashierPin: endpoint({
    method: 'POST',
    path: '/v1/console/stores/:storeId/cashiers/:cashierId/pin',
    roles: FLEET_WRITE_ROLES,
    summary:
      'Give a cashier a new PIN: the one the manager typed, or one HQ makes and answers once. The tills follow.',
    params: cashierParams,
    body: z.object({ pin: pinSchema.optional(), reason }).strict(),
    response: z.object({
      cashier: fleetCashierSchema,
      /** The PIN HQ made (shown once, never stored in clear); null when the manager chose it. */
      pin: z.string().nullable(),
    }),
    audit: 'cashier.pin-reset',
  }),
};
