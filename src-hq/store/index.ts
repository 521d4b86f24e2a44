// The HQ store: everything HQ reads and writes in its database, behind plain functions of a `Db`.
export * from './changes.js';
export * from './programs.js';
export * from './reviews.js';
export * from './members.js';
export * from './ingest.js';
export * from './hq-events.js';
export * from './pull.js';
export * from './stores.js';
export * from './terminals.js';
export * from './closes.js';
export * from './catalog.js';
