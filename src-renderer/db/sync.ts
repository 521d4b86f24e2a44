// Moved to src-renderer/replication and src-renderer/sync-status; kept so test/support/terminal.ts (not
// this change's file) still imports SyncStatus. Remove once it imports from src-renderer/sync-status.
export type { SyncStatus } from '../sync-status/sync-status.js';
