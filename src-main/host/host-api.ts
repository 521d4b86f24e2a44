// TerminalApi in-process, over the host's services: the terminal's HQ link and (optionally) its serial
// devices. Every transport to the renderer uses it: Electron's ipcMain handlers (src-main/app.ts), the
// browser host's WebSocket, and Node tests of the renderer's database. The renderer is not trusted: every
// argument is checked against the contract (src-shared/ipc/terminal-api.ts; a bad one is a 'rejected'
// result for an HQ call, and no request leaves), and every answer and pushed message is checked on the way
// out, so only plain JSON-safe values that fit the contract cross. The checks and the dispatcher are
// written once for every method of the table; what is per method is the implementation below.
import {
  buildTerminalApi,
  checkArguments,
  deliverPushed,
  invokedChannels,
  invokedEntries,
  invokedMethodOf,
  pushedEntries,
  pushedMethods,
  type CustomerView,
  type DeviceStatus,
  type HostInfo,
  type HqApi,
  type InvokedApi,
  type InvokedMethod,
  type LanStatus,
  type PeerEventsChanged,
  type PinCheckAnswer,
  type PinCheckRequest,
  type PushedMethod,
  type ResultOf,
  type ScanEvent,
  type TerminalApi,
} from '../../src-shared/ipc/index.js';
import { LAN_OFF } from '../../src-shared/ipc/lan-api.js';
import type { LedgerEvent } from '../../src-shared/ledger/events.js';
import type { StoreSettings } from '../../src-shared/sync/wire.js';
import type { PrintSlipAnswer, Slip } from '../../src-shared/receipt/slip.js';
import type { PhoneLookup } from '../hq/phone-lookup.js';
import { APP_ORIGIN } from '../security.js';
import { CustomerViewRelay } from './customer-view.js';

export { invokedChannels };

/** What the host API needs of the device manager. */
export interface HostDevices {
  onScan(listener: (event: ScanEvent) => void): () => void;
  onStatus(listener: (status: DeviceStatus) => void): () => void;
  statuses(): DeviceStatus[] | Promise<DeviceStatus[]>;
  /** Prints a member's slip on the receipt printer (DeviceManager.printSlip); absent: no printer. */
  printSlip?(slip: Slip): Promise<PrintSlipAnswer>;
}

export interface HostApiOptions {
  /** The HQ side: a TerminalLink (or a fake in tests). */
  link: HqApi;
  /** Serial scanners and card readers; none when absent. */
  devices?: HostDevices;
  hostInfo: HostInfo | (() => HostInfo | Promise<HostInfo>);
  /** Main's PIN check (staff-pins.ts PinChecker); without it every PIN is for 'unknown-staff'. */
  pins?: { checkPin(request: PinCheckRequest): Promise<PinCheckAnswer> };
  /** Main's phone lookup (hq/phone-lookup.ts); without it every number answers 'no-phone-key'. */
  phones?: PhoneLookup;
  /** The store's counter settings main follows (store-settings.ts), added to hqStatus when known. */
  storeSettings?: () => StoreSettings | null;
  /**
   * Where the customer view the cashier sets is kept and heard (customer-view.ts CustomerViewRelay); a
   * relay of its own when absent.
   */
  customerView?: {
    set(view: CustomerView): void;
    onView(listener: (view: CustomerView) => void): () => void;
  };
  /** The store LAN (issue 16); off when absent: lanStatus enabled false, no peers' events, no pushes. */
  lan?: HostLan;
}

/** What the host API needs of the store LAN (src-main/host/lan-host.ts); the LAN is off when absent. */
export interface HostLan {
  status(): LanStatus;
  onStatus(listener: (status: LanStatus) => void): () => void;
  /** Peers' events held for the member, oldest first by (terminalId, terminalSeq). */
  peerEvents(memberId: string): LedgerEvent[] | Promise<LedgerEvent[]>;
  onPeerEvents(listener: (change: PeerEventsChanged) => void): () => void;
  /** Signs the till's own events into the LAN log before they go to HQ; never fails the push. */
  recordOwn?(events: readonly LedgerEvent[]): Promise<void>;
}

/** The host's own TerminalApi, before the contract's checks: one line per method of the table. */
function implementation({
  link,
  devices,
  hostInfo,
  pins,
  phones,
  storeSettings,
  lan,
  customerView = new CustomerViewRelay(() => storeSettings?.()?.locale ?? null),
}: HostApiOptions): TerminalApi {
  const none = () => undefined;
  return {
    hostInfo: async () => (typeof hostInfo === 'function' ? hostInfo() : hostInfo),
    checkPin: async (request) => (pins ? pins.checkPin(request) : { ok: false, reason: 'unknown-staff' }),
    phoneLookupKey: async (normalised) =>
      phones ? phones.lookupKey(normalised) : { ok: false, reason: 'no-phone-key' },
    onScan: (listener) => (devices ? devices.onScan(listener) : none),
    onDeviceStatus: (listener) => (devices ? devices.onStatus(listener) : none),
    deviceStatuses: async () => (devices ? devices.statuses() : []),
    printSlip: async (slip) =>
      devices?.printSlip
        ? devices.printSlip(slip)
        : { printed: false, reason: 'no-printer', message: 'No receipt printer is configured.' },
    setCustomerView: (view) => {
      customerView.set(view);
      return Promise.resolve(null);
    },
    onCustomerView: (listener) => customerView.onView(listener),
    hqStatus: async () => {
      const status = await link.hqStatus();
      const settings = storeSettings?.() ?? null;
      return settings ? { ...status, storeSettings: settings } : status;
    },
    enroll: (input) => link.enroll(input),
    replicationKey: () => link.replicationKey(),
    pull: (collection, checkpoint, limit) => link.pull(collection, checkpoint, limit),
    snapshot: (position, limit) => link.snapshot(position, limit),
    push: async (events) => {
      // Into the store-LAN log first (also while HQ is down: the renderer keeps pushing); its failure is
      // logged there and must never keep the events from HQ.
      await lan?.recordOwn?.(events).catch(() => undefined);
      return link.push(events);
    },
    close: (figures) => link.close(figures),
    lookup: (query) => link.lookup(query),
    onHqStream: (listener) => link.onHqStream(listener),
    lanStatus: () => Promise.resolve(lan ? lan.status() : LAN_OFF),
    onLanStatus: (listener) => (lan ? lan.onStatus(listener) : none),
    peerEvents: async (memberId) => (lan ? lan.peerEvents(memberId) : []),
    keepOwnEvents: async (events) => {
      await lan?.recordOwn?.(events).catch(() => undefined);
      return null;
    },
    onPeerEvents: (listener) => (lan ? lan.onPeerEvents(listener) : none),
  };
}

/**
 * Calls `method` of `target` with the renderer's arguments, both sides checked against the contract: bad
 * arguments never reach the target, an answer that does not fit never leaves. An HQ call answers its
 * failures as HqResult values ('rejected', 'server-error', with no detail of the host's error); the other
 * methods reject.
 */
async function checkedCall<K extends InvokedMethod>(
  method: K,
  target: InvokedApi,
  raw: readonly unknown[],
): Promise<ResultOf[K]> {
  const entry = invokedEntries[method];
  const checked = checkArguments(entry, raw);
  if (!checked.ok) return checked.answer;
  const { failures } = entry;
  let answer: unknown;
  try {
    answer = await target[method](...checked.args);
  } catch (error) {
    if (!failures) throw error;
    return failures.serverError('The terminal host failed while talking to HQ.');
  }
  const parsed = entry.result.safeParse(answer);
  if (parsed.success) return parsed.data;
  const message = 'The terminal host gave an answer that does not fit TerminalApi.';
  if (failures) return failures.serverError(message);
  throw new Error(`${message} (${entry.channel})`);
}

/** Each host API's implementation, so the dispatcher checks a call once rather than twice. */
const implementations = new WeakMap<TerminalApi, TerminalApi>();

export function createHostApi(options: HostApiOptions): TerminalApi {
  const own = implementation(options);
  const api = buildTerminalApi({
    invoked:
      (method) =>
      (...args) =>
        checkedCall(method, own, args),
    pushed: (method) => (listener) => own[method](deliverPushed(pushedEntries[method], listener)),
  });
  implementations.set(api, own);
  return api;
}

/**
 * Calls the TerminalApi method behind an invoked channel with the renderer's arguments, checked against the
 * contract. For request/answer transports: Electron's ipcMain.handle, the browser host's WebSocket.
 * Rejects for a channel that is not an invoked one.
 */
export function invokeHostApi(api: TerminalApi, channel: string, args: readonly unknown[]): Promise<unknown> {
  const method = invokedMethodOf(channel);
  if (method === undefined) {
    return Promise.reject(
      new Error(`No TerminalApi method is invoked on channel ${JSON.stringify(channel)}.`),
    );
  }
  return checkedCall(method, implementations.get(api) ?? api, args);
}

/**
 * Forwards what `api` pushes to a transport as (channel, payload), for every pushed method of the contract
 * or only `methods` (the customer display's transports: customerPushedMethods); the payloads are checked
 * by the host API. Returns the function that stops forwarding.
 */
export function forwardPushes(
  api: TerminalApi,
  send: (channel: string, payload: unknown) => void,
  methods: readonly PushedMethod[] = pushedMethods,
): () => void {
  const offs = methods.map((method) => {
    const { channel } = pushedEntries[method];
    return api[method]((payload) => send(channel, payload));
  });
  return () => {
    for (const off of offs.splice(0)) off();
  };
}

/** Whether an IPC message comes from our renderer (a frame loaded from the app:// origin). */
export function isAppFrameUrl(url: string | null | undefined): boolean {
  return typeof url === 'string' && (url === APP_ORIGIN || url.startsWith(`${APP_ORIGIN}/`));
}
