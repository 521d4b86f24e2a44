// The sync status the UI shows, and what it is computed from.
export * from './sync-status.js';
export * from './local-counts.js';
export * from './persisted-catch-ups.js';
