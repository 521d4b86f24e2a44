// Replication with HQ: the catalog pulls, the events' push and pull, the gate and the requests.
export * from './terminal-sync.js';
export * from './hq-gate.js';
export * from './hq-requests.js';
export * from './catalog-pull.js';
export * from './catalog-pages.js';
export * from './event-replication.js';
