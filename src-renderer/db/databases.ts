// The terminal's two RxDB databases on Dexie (IndexedDB) storage:
// - ledger: the events this terminal records, with strict IndexedDB durability (a committed event survives
//   a killed process and a power cut, docs/architecture.md section 10), plus local documents for the terminal's state;
// - catalog: what HQ owns and the terminal replicates (members, cards, products, programs, cashiers),
//   relaxed durability: anything lost there is pulled again; its local documents hold the pull checkpoints.
//
// Dev mode (RxDB's checks and schema validation) is only loaded when `dev: true` is passed, through dynamic
// imports, so production bundles contain neither: the dev-mode plugin is not for shipping, and the z-schema
// validator is only used in tests and development (ajv would need `unsafe-eval`, which our CSP forbids).
import { addRxPlugin, createRxDatabase, type RxCollection, type RxDatabase, type RxStorage } from 'rxdb';
import { RxDBLocalDocumentsPlugin } from 'rxdb/plugins/local-documents';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { eventConflictHandler } from './rows.js';
import {
  cardRowSchema,
  cashierRowSchema,
  eventRowSchema,
  memberRowSchema,
  migrationStrategies,
  productRowSchema,
  programRowSchema,
  type CardRow,
  type CashierRow,
  type EventRow,
  type MemberRow,
  type ProductRow,
  type ProgramRow,
} from './schemas.js';

export type LedgerCollections = { events: RxCollection<EventRow> };
export type CatalogCollections = {
  members: RxCollection<MemberRow>;
  cards: RxCollection<CardRow>;
  products: RxCollection<ProductRow>;
  programs: RxCollection<ProgramRow>;
  cashiers: RxCollection<CashierRow>;
};
export type LedgerDatabase = RxDatabase<LedgerCollections>;
export type CatalogDatabase = RxDatabase<CatalogCollections>;

export interface TerminalDatabases {
  /** The name prefix both databases were opened under. */
  name: string;
  ledger: LedgerDatabase;
  catalog: CatalogDatabase;
  /** Closes both databases (their replications first, if any run on them). */
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** Name prefix: the databases are `<name>-ledger` and `<name>-catalog` (default `loyalty`). */
  name?: string;
  /** RxDB dev mode and schema validation (tests, development); never in production. */
  dev?: boolean;
  /** An IndexedDB implementation (tests pass fake-indexeddb's IDBFactory); default: the browser's. */
  indexedDB?: IDBFactory;
  /** The IDBKeyRange matching `indexedDB` (default: the browser's). */
  IDBKeyRange?: typeof IDBKeyRange;
}

/** Every collection both databases hold: six per terminal, within RxDB's open-source limit of 13. */
export const COLLECTIONS_PER_TERMINAL = 6;

let basePluginsAdded = false;
let devPluginAdded: Promise<void> | null = null;

function addBasePlugins(): void {
  if (basePluginsAdded) return;
  addRxPlugin(RxDBLocalDocumentsPlugin);
  addRxPlugin(RxDBMigrationSchemaPlugin);
  basePluginsAdded = true;
}

function addDevPlugin(): Promise<void> {
  devPluginAdded ??= import('rxdb/plugins/dev-mode').then(({ RxDBDevModePlugin, disableWarnings }) => {
    disableWarnings();
    addRxPlugin(RxDBDevModePlugin);
  });
  return devPluginAdded;
}

async function storageFor(
  options: DatabaseOptions,
  durability: 'strict' | 'relaxed',
): Promise<RxStorage<unknown, unknown>> {
  const base = getRxStorageDexie({
    chromeTransactionDurability: durability,
    ...(options.indexedDB ? { indexedDB: options.indexedDB } : {}),
    ...(options.IDBKeyRange ? { IDBKeyRange: options.IDBKeyRange } : {}),
  }) as RxStorage<unknown, unknown>;
  if (!options.dev) return base;
  const { wrappedValidateZSchemaStorage } = await import('rxdb/plugins/validate-z-schema');
  return wrappedValidateZSchemaStorage({ storage: base });
}

async function createDatabases(options: DatabaseOptions, name: string): Promise<TerminalDatabases> {
  addBasePlugins();
  if (options.dev) await addDevPlugin();
  const ledger = (await createRxDatabase<LedgerCollections>({
    name: `${name}-ledger`,
    storage: await storageFor(options, 'strict'),
    multiInstance: false,
    localDocuments: true,
    allowSlowCount: false,
  })) as LedgerDatabase;
  let catalog: CatalogDatabase | null = null;
  try {
    await ledger.addCollections({
      events: {
        schema: eventRowSchema,
        migrationStrategies: migrationStrategies.events,
        conflictHandler: eventConflictHandler,
      },
    });
    catalog = (await createRxDatabase<CatalogCollections>({
      name: `${name}-catalog`,
      storage: await storageFor(options, 'relaxed'),
      multiInstance: false,
      // The catalog pull's checkpoints live beside the documents they describe.
      localDocuments: true,
    })) as CatalogDatabase;
    await catalog.addCollections({
      members: { schema: memberRowSchema, migrationStrategies: migrationStrategies.members },
      cards: { schema: cardRowSchema, migrationStrategies: migrationStrategies.cards },
      products: { schema: productRowSchema, migrationStrategies: migrationStrategies.products },
      programs: { schema: programRowSchema, migrationStrategies: migrationStrategies.programs },
      cashiers: { schema: cashierRowSchema, migrationStrategies: migrationStrategies.cashiers },
    });
  } catch (error) {
    await Promise.allSettled([ledger.close(), catalog?.close()]);
    throw error;
  }
  const opened = catalog;
  return {
    name,
    ledger,
    catalog: opened,
    async close() {
      await Promise.allSettled([ledger.close(), opened.close()]);
    },
  };
}

const open = new Map<string, Promise<TerminalDatabases>>();

/**
 * Opens (or returns the already open) databases named `options.name`. One set per name per process:
 * React StrictMode runs effects twice, and both runs get the same databases. Closing them through the
 * returned `close()` forgets them, so the next call opens them again (a restart, in tests).
 */
export function openDatabases(options: DatabaseOptions = {}): Promise<TerminalDatabases> {
  const name = options.name ?? 'loyalty';
  const existing = open.get(name);
  if (existing) return existing;
  const opening = createDatabases(options, name).then((dbs): TerminalDatabases => ({
    ...dbs,
    async close() {
      if (open.get(name) === opening) open.delete(name);
      await dbs.close();
    },
  }));
  open.set(name, opening);
  opening.catch(() => {
    if (open.get(name) === opening) open.delete(name);
  });
  return opening;
}
