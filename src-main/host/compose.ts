// The terminal host, composed once: the HQ link, the serial devices, the program's card patterns that main
// classifies serial frames with, TerminalApi over them, and the transport that serves TerminalApi to the
// renderer. Electron main (src-main/app.ts), `npm start` (scripts/start.ts) and the end-to-end harness
// (test/support/counter.ts) all build the host here; what differs between them is an option:
//
//   credentials   safeStorage under Electron, a 0600 file for `npm start` and tests
//   dataDir       where main keeps what it must remember across restarts (the program's card patterns,
//                 the staff PIN hashes and the wrong-PIN lockouts)
//   clock         the PIN lockout's time (tests move it)
//   ui            the Electron window (IPC, attached by app.ts) or the browser host (HTTP + WebSocket)
//   link, deviceTiming, binding   tests tune the timing and the serial binding; production takes defaults
//   lanTiming     the store LAN's timers, clock and fetch (tests); whether the LAN runs at all is the
//                 configuration's `lan.enabled` (off: no LAN object, no port, lanStatus enabled false)
//
// Nothing opens before start(): a caller may enroll the link first (npm start, the harness). close()
// stops everything in reverse order, once.
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { HostInfo, TerminalApi } from '../../src-shared/ipc/index.js';
import { systemClock, type Clock } from '../../src-shared/kernel/clock.js';
import type { TerminalConfig } from '../config.js';
import {
  DeviceManager,
  systemBinding,
  type DeviceManagerOptions,
  type SerialBinding,
} from '../devices/index.js';
import type { CredentialStore } from '../hq/credential-store.js';
import { filePeerCache } from '../hq/peer-cache.js';
import { createPhoneLookup } from '../hq/phone-lookup.js';
import { TerminalLink, type TerminalLinkOptions } from '../hq/terminal-link.js';
import { startBrowserHost, type BrowserHost, type BrowserHostLogger } from './browser-host.js';
import { CardPatternFollower } from './card-pattern-follower.js';
import { createHostApi } from './host-api.js';
import { LanHost, type LanHostOptions } from './lan-host.js';
import { PIN_ATTEMPTS_FILE, PinChecker, STAFF_PINS_FILE, StaffPinFollower } from './staff-pins.js';
import { StopList } from './stop-list.js';
import { STORE_SETTINGS_FILE, StoreSettingsFollower } from './store-settings.js';

/** How the renderer reaches TerminalApi. */
export type HostUi =
  /** The browser host on loopback: `port` 0 (default) for any free one. */
  | { kind: 'browser'; rendererDir: string; port?: number; logger?: BrowserHostLogger }
  /** Electron's IPC, wired by the caller (app.ts); `attach` returns what detaches it. */
  | { kind: 'electron'; attach: (api: TerminalApi) => () => void };

export interface TerminalHostOptions {
  /** HQ's address and the serial devices (validated: loadTerminalConfig or parseTerminalConfig). */
  config: TerminalConfig;
  /** Where the HQ credential is kept. */
  credentials: CredentialStore;
  /** Main's own files (created when missing): card patterns, staff PIN hashes, wrong-PIN lockouts. */
  dataDir: string;
  /** The time of the PIN lockout (default: the system clock). */
  clock?: Clock;
  /** The app version hostInfo() reports. */
  version: string;
  logger: Logger;
  /** The serial binding (default: the platform's). */
  binding?: SerialBinding;
  /** HQ request time limit, stream timing, fetch: tests shorten them. */
  link?: Omit<TerminalLinkOptions, 'hqUrl' | 'credentials'>;
  /** Reconnect schedule and timers of the devices: tests shorten them. */
  deviceTiming?: Pick<DeviceManagerOptions, 'backoff' | 'timers' | 'clock' | 'rejectEventIntervalMs'>;
  /** The store LAN's timers, clock, fetch, backoff and own addresses: tests set them. */
  lanTiming?: Pick<LanHostOptions, 'timers' | 'clock' | 'random' | 'fetch' | 'peers' | 'addresses'>;
}

export interface TerminalHost {
  api: TerminalApi;
  link: TerminalLink;
  devices: DeviceManager;
  /** The card patterns serial frames are classified with: the replicated program's, kept in dataDir. */
  cardPatterns: CardPatternFollower;
  /** The staff PIN hashes main fetched from HQ (for checkPin; never sent to the renderer). */
  staffPins: StaffPinFollower;
  /** checkPin and its lockout state. */
  pins: PinChecker;
  /** The store's counter settings from HQ (idle timeouts, close time), handed out with hqStatus. */
  storeSettings: StoreSettingsFollower;
  /** The store LAN (issue 16), or null when the configuration has it off. */
  lan: LanHost | null;
  /**
   * Opens the devices, follows the program and serves TerminalApi. Resolves with the browser host (its
   * page opens through a one-time `launchUrl()`), or null under Electron.
   */
  start(ui: HostUi): Promise<{ browser: BrowserHost | null }>;
  /** Stops serving, the devices, the program follower and the HQ stream (reverse order, once). */
  close(): Promise<void>;
}

/** The file in dataDir holding the store's peer list as last fetched from HQ (store LAN, issue 16). */
export const STORE_PEERS_FILE = 'store-peers.json';

/** The file in dataDir holding the last known program's card patterns. */
export const CARD_PATTERNS_FILE = 'card-patterns.json';

export function composeTerminalHost(options: TerminalHostOptions): TerminalHost {
  const log = options.logger;
  const link = new TerminalLink({
    // The store's peer list survives an outage in the data folder (what a till starting offline pulls from).
    peerCache: filePeerCache(join(options.dataDir, STORE_PEERS_FILE)),
    ...options.link,
    hqUrl: options.config.hqUrl,
    credentials: options.credentials,
  });
  const cardPatterns = new CardPatternFollower({
    link,
    file: join(options.dataDir, CARD_PATTERNS_FILE),
    logger: log.child({ name: 'card-patterns' }),
  });
  const devices = new DeviceManager(options.config.devices, {
    ...options.deviceTiming,
    binding: options.binding ?? systemBinding(),
    logger: log.child({ name: 'devices' }),
    cardPatterns: () => cardPatterns.patterns(),
  });
  const clock = options.clock ?? systemClock;
  const staffPins = new StaffPinFollower({
    link,
    file: join(options.dataDir, STAFF_PINS_FILE),
    clock,
    logger: log.child({ name: 'staff-pins' }),
  });
  const pins = new PinChecker({
    staff: staffPins,
    file: join(options.dataDir, PIN_ATTEMPTS_FILE),
    clock,
    logger: log.child({ name: 'pins' }),
  });
  const storeSettings = new StoreSettingsFollower({
    link,
    file: join(options.dataDir, STORE_SETTINGS_FILE),
    logger: log.child({ name: 'store-settings' }),
  });
  const lanConfig = options.config.lan;
  const lan = lanConfig?.enabled
    ? new LanHost({
        ...options.lanTiming,
        config: lanConfig,
        link,
        dataDir: options.dataDir,
        logger: log.child({ name: 'lan' }),
      })
    : null;
  let hostKind: HostInfo['host'] = 'browser';
  const api = createHostApi({
    link,
    devices,
    pins,
    phones: createPhoneLookup(link),
    storeSettings: () => storeSettings.current(),
    hostInfo: () => ({ host: hostKind, version: options.version }),
    ...(lan ? { lan } : {}),
  });

  const stops = new StopList();
  stops.push({ what: 'the HQ link', stop: () => link.stop() });
  let started = false;

  return {
    api,
    link,
    devices,
    cardPatterns,
    staffPins,
    pins,
    storeSettings,
    lan,
    async start(ui) {
      if (started || stops.stopped) throw new Error('The terminal host starts once.');
      started = true;
      hostKind = ui.kind;
      cardPatterns.start();
      stops.push({ what: 'the card patterns', stop: () => cardPatterns.stop() });
      staffPins.start();
      stops.push({ what: 'the staff PINs', stop: () => staffPins.stop() });
      stops.push({ what: 'the PIN attempts', stop: () => pins.flushed() });
      storeSettings.start();
      stops.push({ what: 'the store settings', stop: () => storeSettings.stop() });
      devices.start();
      stops.push({ what: 'the devices', stop: () => devices.close() });
      if (lan) {
        // Pushed before serving the renderer and stopped after it: no push finds the log closed.
        stops.push({ what: 'the store LAN', stop: () => lan.stop() });
        await lan.start();
      }
      if (ui.kind === 'electron') {
        stops.push({ what: 'the IPC handlers', stop: ui.attach(api) });
        return { browser: null };
      }
      const browser = await startBrowserHost({
        api,
        rendererDir: ui.rendererDir,
        ...(ui.port === undefined ? {} : { port: ui.port }),
        logger: ui.logger ?? log.child({ name: 'browser-host' }),
      });
      stops.push({ what: 'the browser host', stop: () => browser.close() });
      return { browser };
    },
    async close() {
      const failures = await stops.stopAll();
      if (failures.length > 0) throw new Error(`Stopping the terminal host: ${failures.join('; ')}`);
    },
  };
}
