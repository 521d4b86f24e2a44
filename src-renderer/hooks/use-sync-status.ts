// The replica's sync status (online, replica mode, pending, attention, initial replication progress).
import type { SyncStatus } from '../sync-status/index.js';
import { useObservable } from './use-observable.js';
import { useTerminal } from './use-terminal.js';

export function useSyncStatus(): SyncStatus {
  const { terminal } = useTerminal();
  return useObservable(terminal.sync.status$, () => terminal.sync.snapshot());
}
