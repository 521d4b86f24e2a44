// What every counter service works with: the replica (read through CatalogReader, written for the local
// index), this terminal's ledger, the sync (who the terminal is, whether HQ is reachable), the clock and
// the id maker.
import type { Clock } from '../../src-shared/kernel/clock.js';
import type { CatalogReader } from '../db/catalog.js';
import type { CatalogDatabase } from '../db/databases.js';
import type { Ledger } from '../db/ledger.js';
import type { TerminalSync } from '../replication/terminal-sync.js';

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
}

export type ServiceContext = Readonly<ServicesOptions>;
