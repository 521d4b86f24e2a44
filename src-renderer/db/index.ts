// The terminal's local data: RxDB databases, replication with HQ, sync status, counter services and the
// day close. The UI starts with openTerminal().
export * from './terminal.js';
export * from './databases.js';
export * from './schemas.js';
export * from './catalog.js';
export * from './ledger.js';
export * from './sync.js';
export * from './services.js';
export * from './close.js';
export * from './gate.js';
export * from './timers.js';
export { nameKey } from './rows.js';
