// The terminal's local storage: the RxDB databases and their schemas, the rows stored, the replica as read
// (CatalogReader) and this terminal's ledger. What uses it (replication, services, the day close, opening
// the terminal) lives in src-renderer/{replication,sync-status,services,day-close,startup}.
export * from './databases.js';
export * from './schemas.js';
export * from './catalog.js';
export * from './ledger.js';
export * from './mutex.js';
export { nameKey } from './rows.js';
