// Records every readwrite IndexedDB transaction the page opens: the database, the stores, the durability
// option asked for, the durability the transaction reports (IDBTransaction.durability), and when it was
// opened and completed. Imported first by the harness entry, before any database opens: Dexie binds
// IDBDatabase.prototype.transaction when it opens a database, so the wrapper must already be in place.
//
// For the benchmark's peer, the durability of the databases whose name starts with a prefix can be forced
// (the same code path, with 'relaxed' instead of the ledger's 'strict').
export interface TransactionRecord {
  database: string;
  stores: string[];
  /** The `durability` option passed to IDBDatabase.transaction, or null when none was given. */
  requested: string | null;
  /** What the transaction itself reports: 'strict', 'relaxed' or 'default'. */
  durability: string;
  /** Whether the harness replaced the requested durability (benchmark peers only). */
  forced: boolean;
  /** performance.now() when opened, and when it completed (null until then, or if it failed). */
  openedAt: number;
  completedAt: number | null;
}

const records: TransactionRecord[] = [];
const forced = new Map<string, IDBTransactionDurability>();

// eslint-disable-next-line @typescript-eslint/unbound-method -- kept to be called with the right `this` below
const original = IDBDatabase.prototype.transaction;
IDBDatabase.prototype.transaction = function transaction(
  this: IDBDatabase,
  storeNames: string | string[],
  mode?: IDBTransactionMode,
  options?: IDBTransactionOptions,
): IDBTransaction {
  if (mode !== 'readwrite') return original.call(this, storeNames, mode, options);
  const name = this.name;
  const force = [...forced].find(([prefix]) => name.startsWith(prefix))?.[1];
  const tx = original.call(this, storeNames, mode, force ? { ...options, durability: force } : options);
  const record: TransactionRecord = {
    database: name,
    stores: Array.from(tx.objectStoreNames),
    requested: options?.durability ?? null,
    durability: tx.durability,
    forced: force !== undefined,
    openedAt: performance.now(),
    completedAt: null,
  };
  tx.addEventListener('complete', () => {
    record.completedAt = performance.now();
  });
  records.push(record);
  return tx;
};

/** Every readwrite transaction recorded since the page loaded (or since the last clear). */
export const transactionRecords = (): TransactionRecord[] => records.map((r) => ({ ...r }));

export const clearTransactionRecords = (): void => {
  records.length = 0;
};

/** Forces the durability of readwrite transactions on databases named with this prefix (null: stop). */
export function forceDurability(prefix: string, durability: IDBTransactionDurability | null): void {
  if (durability === null) forced.delete(prefix);
  else forced.set(prefix, durability);
}
