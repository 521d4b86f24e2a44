// TerminalApi: the one contract between the renderer and whichever host runs it (Electron main through
// the preload, or the browser host over a WebSocket). The renderer only ever sees `window.terminal`;
// credentials, serial ports and HQ traffic stay on the host side.
//
// `terminalContract` is the whole contract: per method its channel, its schemas, and whether the renderer
// invokes it or main pushes it. Everything else is derived from it: the TerminalApi type, the channel
// lists, the preload (src-main/preload/api.ts), the WebSocket client (src-renderer/transport) and main's
// dispatcher (src-main/host/host-api.ts). Adding a method is one entry here plus its implementation in
// the host API.
import { z } from 'zod';
import { closeResponseSchema, memberDocSchema, pushResponseSchema } from '../sync/wire.js';
import { hqCall, invoked, pushed, type Channel, type InvokedEntry, type PushedEntry } from './contract.js';
import {
  hqCloseFiguresSchema,
  hqEnrolledSchema,
  hqEnrollInputSchema,
  hqLinkStatusSchema,
  hqLookupQuerySchema,
  hqPullArgsSchema,
  hqPullPageSchema,
  hqPushEventsSchema,
  hqResultSchema,
  hqSnapshotArgsSchema,
  hqSnapshotResultSchema,
  hqStreamMessageSchema,
  replicationKeySchema,
} from './hq-api.js';
import { customerViewSchema } from './customer-view.js';
import { deviceStatusSchema, scanEventSchema } from './scan-events.js';
import { e164Schema } from '../ledger/phone.js';
import { ledgerEventSchema } from '../ledger/events.js';
import {
  lanMemberIdSchema,
  lanStatusSchema,
  MAX_PEER_EVENTS_PER_MEMBER,
  peerEventsChangedSchema,
} from './lan-api.js';
import { printSlipAnswerSchema, slipSchema } from '../receipt/slip.js';

/**
 * phoneLookupKey's answer: the lookup key of the number (what members' `phoneHash` holds), never the phone
 * key itself. 'no-phone-key': the terminal's credential has none (not enrolled, or enrolled with an HQ
 * from before the phone key): the renderer cannot look up or record a phone until it is enrolled again.
 */
export const phoneLookupAnswerSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), lookupKey: z.string().regex(/^[0-9a-f]{64}$/) }).strict(),
  z.object({ ok: z.literal(false), reason: z.literal('no-phone-key') }).strict(),
]);
export type PhoneLookupAnswer = z.infer<typeof phoneLookupAnswerSchema>;

/** checkPin's question: whose PIN, what was typed, and what for ('manager': only a manager's PIN passes). */
export const pinCheckRequestSchema = z
  .object({
    staffId: z.string().min(1).max(64),
    pin: z.string().regex(/^\d{4,8}$/, '4 to 8 digits'),
    purpose: z.enum(['sign-in', 'manager']),
  })
  .strict();
export type PinCheckRequest = z.infer<typeof pinCheckRequestSchema>;

/**
 * checkPin's answer. `triesLeft`: wrong PINs left before a lockout; `lockedUntil`: when a lockout ends (an
 * ISO instant; the renderer counts down to it). 'unknown-staff': main has no PIN for this person (for
 * 'manager': no manager by that id), so nothing was tried or counted.
 */
export const pinCheckAnswerSchema = z.discriminatedUnion('ok', [
  z
    .object({
      ok: z.literal(true),
      staff: z.object({ id: z.string(), name: z.string(), role: z.enum(['cashier', 'manager']) }).strict(),
    })
    .strict(),
  z
    .object({
      ok: z.literal(false),
      reason: z.enum(['wrong-pin', 'locked', 'unknown-staff']),
      triesLeft: z.number().int().nonnegative().optional(),
      lockedUntil: z.iso.datetime().optional(),
    })
    .strict(),
]);
export type PinCheckAnswer = z.infer<typeof pinCheckAnswerSchema>;

export const hostInfoSchema = z
  .object({
    host: z.enum(['electron', 'browser']),
    version: z.string(),
  })
  .strict();
export type HostInfo = z.infer<typeof hostInfoSchema>;

const noArgs = z.tuple([]);

export const terminalContract = {
  /** Which host serves this renderer, and the app version. */
  hostInfo: invoked('terminal:host-info', { args: noArgs, result: hostInfoSchema }),

  /**
   * Checks a cashier's or manager's PIN in main, against the hashes main fetched from HQ (they never reach
   * the renderer), behind main's per-person wrong-PIN lockout, which survives reloads and restarts.
   */
  checkPin: invoked('terminal:check-pin', {
    args: z.tuple([pinCheckRequestSchema]),
    argNames: [''],
    what: 'the PIN check',
    result: pinCheckAnswerSchema,
  }),

  /**
   * The lookup key of a normalised (E.164) phone number, derived in main with the chain's phone key, which
   * never leaves main (docs/architecture.md, "Phone lookup key: threat model and cost").
   */
  phoneLookupKey: invoked('terminal:phone-lookup-key', {
    args: z.tuple([e164Schema]),
    argNames: [''],
    what: 'the phone number (E.164)',
    result: phoneLookupAnswerSchema,
  }),

  /** Every classified frame from every device; returns the unsubscribe function. */
  onScan: pushed('terminal:scan', scanEventSchema),
  /** Device health changes; returns the unsubscribe function. */
  onDeviceStatus: pushed('terminal:device-status', deviceStatusSchema),
  /** Current health of every configured device. */
  deviceStatuses: invoked('terminal:device-statuses', { args: noArgs, result: z.array(deviceStatusSchema) }),
  /**
   * Prints a member's slip (src-shared/receipt/slip.ts, built by the renderer) on the receipt printer; the
   * answer says whether it printed, and why not (no printer, paper out…): printing never blocks a sale.
   */
  printSlip: invoked('terminal:print-slip', {
    args: z.tuple([slipSchema]),
    argNames: ['slip'],
    what: 'the slip',
    result: printSlipAnswerSchema,
  }),

  /**
   * The customer-facing display (customer-view.ts): the cashier's renderer sets what the customer sees
   * (basket, points, first name and balance, next reward); main keeps the latest and pushes it to the
   * customer window, and to nobody else's screens. Answers null once kept.
   */
  setCustomerView: invoked('terminal:customer-view-set', {
    args: z.tuple([customerViewSchema]),
    argNames: ['view'],
    what: 'the customer view',
    result: z.null(),
  }),
  /**
   * What the customer window hears: the latest customer view at once when it subscribes, then every new
   * one. The customer display's transports forward this entry only (customerPushedMethods).
   */
  onCustomerView: pushed('terminal:customer-view', customerViewSchema),

  hqStatus: invoked('terminal:hq-status', { args: noArgs, result: hqLinkStatusSchema }),
  /**
   * Exchanges a one-time enrollment code for the terminal credential (kept by the host). Enrolling an
   * enrolled terminal replaces its credential (after a revocation, or a move to another store).
   */
  enroll: hqCall('terminal:hq-enroll', {
    args: z.tuple([hqEnrollInputSchema]),
    argNames: [''],
    what: 'the enrollment',
    result: hqResultSchema(hqEnrolledSchema),
  }),
  /**
   * An opaque key for RxDB's replicationIdentifier: changes when HQ's address, the protocol version or
   * the terminal id changes (a hash, so the address itself stays in the host).
   */
  replicationKey: invoked('terminal:hq-replication-key', { args: noArgs, result: replicationKeySchema }),
  /** Documents of a collection changed after a checkpoint: (collection, checkpoint, limit). */
  pull: hqCall('terminal:hq-pull', {
    args: hqPullArgsSchema,
    argNames: ['collection', 'checkpoint', 'limit'],
    what: 'the pull request',
    result: hqResultSchema(hqPullPageSchema),
  }),
  /**
   * The member snapshot a new till's replica is filled from (src-shared/sync/snapshot.ts): verified pages
   * from a position (nothing yet, or a checkpoint and the last member id kept), at least `limit` documents.
   */
  snapshot: hqCall('terminal:hq-snapshot', {
    args: hqSnapshotArgsSchema,
    argNames: ['position', 'limit'],
    what: 'the snapshot request',
    result: hqSnapshotResultSchema,
  }),
  push: hqCall('terminal:hq-push', {
    args: z.tuple([hqPushEventsSchema]),
    argNames: ['events'],
    what: 'the events',
    result: hqResultSchema(pushResponseSchema),
  }),
  close: hqCall('terminal:hq-close', {
    args: z.tuple([hqCloseFiguresSchema]),
    argNames: [''],
    what: 'the day close figures',
    result: hqResultSchema(closeResponseSchema),
  }),
  lookup: hqCall('terminal:hq-lookup', {
    args: z.tuple([hqLookupQuerySchema]),
    argNames: [''],
    what: 'the lookup (give exactly one of card or phoneHash)',
    result: hqResultSchema(z.array(memberDocSchema)),
  }),
  /**
   * Live messages from HQ's event stream (RESYNC on every reconnect, DISCONNECTED when it drops); returns
   * the unsubscribe. A listener that subscribes while the stream is up hears the next message, not a
   * replayed RESYNC: pull once on start.
   */
  onHqStream: pushed('terminal:hq-stream', hqStreamMessageSchema),

  /**
   * The store LAN (issue 16, lan-api.ts): whether it is on, how many of the store's peers main knows and
   * how many answer. `enabled` false when the configuration has it off or the till has no LAN identity.
   */
  lanStatus: invoked('terminal:lan-status', { args: noArgs, result: lanStatusSchema }),
  /**
   * Every change of lanStatus. Its own channel (a channel is one method's: the WebSocket and the preload
   * route by it), hence `-changed`.
   */
  onLanStatus: pushed('terminal:lan-status-changed', lanStatusSchema),
  /**
   * The events of the store's OTHER tills that this till holds for a member (verified when stored), oldest
   * first by (terminalId, terminalSeq); empty when the LAN is off.
   */
  peerEvents: invoked('terminal:lan-peer-events', {
    args: z.tuple([lanMemberIdSchema]),
    argNames: ['memberId'],
    what: 'the member id',
    result: z.array(ledgerEventSchema).max(MAX_PEER_EVENTS_PER_MEMBER),
  }),
  /**
   * The till's own events, handed to main as soon as they are recorded, so the store LAN serves them at once
   * (issue 16): the push to HQ waits behind its backoff while HQ is down. Main signs them into its log; a
   * failure there is main's to log, and the push carries them again. Answers null; null too with the LAN off.
   */
  keepOwnEvents: invoked('terminal:lan-keep-own-events', {
    args: z.tuple([hqPushEventsSchema]),
    argNames: ['events'],
    what: 'the events',
    result: z.null(),
  }),
  /** Peers' events were stored for these members: the renderer re-asks peerEvents for a member it shows. */
  onPeerEvents: pushed('terminal:lan-peer-events-stored', peerEventsChangedSchema),
};

// ---- Derived types --------------------------------------------------------------------------------------

type Contract = typeof terminalContract;
export type TerminalMethod = keyof Contract;
/** The methods the renderer invokes (request → answer). */
export type InvokedMethod = {
  [K in TerminalMethod]: Contract[K] extends { kind: 'invoked' } ? K : never;
}[TerminalMethod];
/** The methods that subscribe to what main pushes. */
export type PushedMethod = Exclude<TerminalMethod, InvokedMethod>;

export type ChannelOf<K extends TerminalMethod> = Contract[K]['channel'];
export type ArgsOf = { [K in InvokedMethod]: z.output<Contract[K]['args']> };
export type ResultOf = { [K in InvokedMethod]: z.output<Contract[K]['result']> };
export type PayloadOf = { [K in PushedMethod]: z.output<Contract[K]['payload']> };

/** Method K of TerminalApi, written so that code generic over K can build and call it. */
export type InvokedMethodType<K extends InvokedMethod> = (...args: ArgsOf[K]) => Promise<ResultOf[K]>;
export type PushedMethodType<K extends PushedMethod> = (
  listener: (payload: PayloadOf[K]) => void,
) => () => void;
export type InvokedApi = { [K in InvokedMethod]: InvokedMethodType<K> };
export type PushedApi = { [K in PushedMethod]: PushedMethodType<K> };
export type TerminalApi = InvokedApi & PushedApi;

/** TerminalApi's HQ methods (those on `terminal:hq-*` channels): what a TerminalLink implements. */
export type HqMethod = {
  [K in TerminalMethod]: ChannelOf<K> extends `terminal:hq-${string}` ? K : never;
}[TerminalMethod];
export type HqApi = Pick<TerminalApi, HqMethod>;

/**
 * The table, typed per method: code generic over a method K (`invokedEntries[method]`) sees K's own
 * argument and result types, which is what lets the transports be written once for every method.
 */
export const invokedEntries: { [K in InvokedMethod]: InvokedEntry<ChannelOf<K>, ArgsOf[K], ResultOf[K]> } =
  terminalContract;
export const pushedEntries: { [K in PushedMethod]: PushedEntry<ChannelOf<K>, PayloadOf[K]> } =
  terminalContract;

/** Methods whose channel another method uses too; `never` when every channel is used once. */
export type SharedChannels<T extends Record<string, { channel: Channel }>> = {
  [K in keyof T]: T[K]['channel'] extends T[Exclude<keyof T, K>]['channel'] ? K : never;
}[keyof T];
/** Compiles only while no two methods share a channel. */
export const everyChannelOnce: [SharedChannels<Contract>] extends [never] ? true : false = true;

// ---- Derived values -------------------------------------------------------------------------------------

/** Every method, in the table's order. */
export const terminalMethods = Object.keys(terminalContract) as TerminalMethod[];

const isInvoked = (method: TerminalMethod): method is InvokedMethod =>
  terminalContract[method].kind === 'invoked';
const isPushed = (method: TerminalMethod): method is PushedMethod => !isInvoked(method);
export const invokedMethods: readonly InvokedMethod[] = terminalMethods.filter(isInvoked);
export const pushedMethods: readonly PushedMethod[] = terminalMethods.filter(isPushed);
/**
 * The pushed methods the customer display hears, and the only ones its transports forward: never scans,
 * device health or HQ's stream, and no invoked method at all.
 */
export const customerPushedMethods = ['onCustomerView'] as const satisfies readonly PushedMethod[];
/** What the cashier's page hears: every pushed method but the customer display's. */
export const cashierPushedMethods: readonly PushedMethod[] = pushedMethods.filter(
  (method) => !(customerPushedMethods as readonly PushedMethod[]).includes(method),
);

/** The channel name without `terminal:`, in camelCase: `terminal:hq-pull` → `hqPull`. */
type ChannelKey<C> = C extends `terminal:${infer Name}` ? CamelCase<Name> : never;
type CamelCase<S extends string> = S extends `${infer Head}-${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S;
const channelKey = (channel: Channel): string =>
  channel.slice('terminal:'.length).replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());

export type Channels = { [K in TerminalMethod as ChannelKey<ChannelOf<K>>]: ChannelOf<K> };
/** Every channel by name: `channels.hqPull` is `terminal:hq-pull`. */
export const channels = Object.fromEntries(
  terminalMethods.map((method) => {
    const { channel } = terminalContract[method];
    return [channelKey(channel), channel];
  }),
  // Object.fromEntries cannot type its keys; the contract test checks every name against the table.
) as Channels;

export type InvokedChannel = ChannelOf<InvokedMethod>;
/** The channels main answers (Electron's ipcMain.handle, the browser host's requests). */
export const invokedChannels: readonly InvokedChannel[] = invokedMethods.map(
  (method) => invokedEntries[method].channel,
);
/** The channels main pushes on. */
export const pushedChannels: readonly ChannelOf<PushedMethod>[] = pushedMethods.map(
  (method) => pushedEntries[method].channel,
);

const invokedByChannel = new Map<string, InvokedMethod>(
  invokedMethods.map((method) => [invokedEntries[method].channel, method]),
);
/** The invoked method behind a channel; undefined for a pushed or unknown one. */
export const invokedMethodOf = (channel: string): InvokedMethod | undefined => invokedByChannel.get(channel);

/**
 * Builds a TerminalApi from one function per kind, each written once for every method: how the preload,
 * the WebSocket client and the host's checks derive their API from the table.
 */
export function buildTerminalApi(build: {
  invoked: <K extends InvokedMethod>(method: K) => InvokedMethodType<K>;
  pushed: <K extends PushedMethod>(method: K) => PushedMethodType<K>;
}): TerminalApi {
  const api: Partial<Record<TerminalMethod, unknown>> = {};
  for (const method of invokedMethods) api[method] = build.invoked(method);
  for (const method of pushedMethods) api[method] = build.pushed(method);
  // Each value comes from the builder of its own kind for its own method, and the lists cover the table
  // (the contract test checks every method is present); a loop cannot carry that per key to the compiler.
  return api as TerminalApi;
}
