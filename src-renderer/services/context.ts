// What every counter service works with: the replica (read through CatalogReader, written for the local
// index), this terminal's ledger, the sync (who the terminal is, whether HQ is reachable), the clock, the
// id maker, main's phone lookup keys, HQ's lookup of a member outside the replica, and the store's other
// tills' events for a member (issue 16, peer-events.ts).
import type { TerminalApi } from '../../src-shared/ipc/terminal-api.js';
import type { Clock } from '../../src-shared/kernel/clock.js';
import type { CatalogReader } from '../db/catalog.js';
import type { CatalogDatabase } from '../db/databases.js';
import type { Ledger } from '../db/ledger.js';
import type { TerminalSync } from '../replication/terminal-sync.js';
import type { PeerEvents, PeerEventsSource } from './peer-events.js';

export interface ServicesOptions {
  catalog: CatalogReader;
  catalogDb: CatalogDatabase;
  ledger: Ledger;
  sync: TerminalSync;
  clock: Clock;
  /** Makes event and member ids (UUIDv7). */
  newId: () => string;
  /** Country calling code for phone numbers typed without one, e.g. `33`. */
  phoneCountryCode: string;
  /** Main's lookup key of a normalised number (the phone key that derives it never reaches the renderer). */
  phoneLookupKey: TerminalApi['phoneLookupKey'];
  /**
   * HQ's lookup of a member outside the replica (through main); absent: cards the replica does not know
   * stay unknown (online-lookup.ts).
   */
  hqLookup?: TerminalApi['lookup'];
  /**
   * Main's store-LAN entries (peerEvents, onPeerEvents); absent: no peer's event is ever counted, as
   * before issue 16.
   */
  lan?: PeerEventsSource;
}

export type ServiceContext = Readonly<ServicesOptions & { peers: PeerEvents }>;
