// The store's staff (cashiers and managers), kept current as HQ sends changes: the services' list for the
// store this terminal belongs to.
import { useEffect, useState } from 'react';
import type { Staff } from '../services/index.js';
import { useSyncStatus } from './use-sync-status.js';
import { useTerminal } from './use-terminal.js';

export type { Staff } from '../services/index.js';

export function useCashiers(): Staff[] {
  const { terminal } = useTerminal();
  const storeId = useSyncStatus().storeId;
  const [staff, setStaff] = useState<Staff[]>([]);
  useEffect(() => {
    const subscription = terminal.services.staff$(storeId).subscribe(setStaff);
    return () => subscription.unsubscribe();
  }, [terminal, storeId]);
  return staff;
}
