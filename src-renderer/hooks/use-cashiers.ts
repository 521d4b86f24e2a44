// The store's staff from the replica (cashiers and managers), kept current as HQ sends changes. The
// replica may hold other stores' staff: only this store's can sign in here.
import { useEffect, useState } from 'react';
import type { CashierRow } from '../db/index.js';
import { useSyncStatus } from './use-sync-status.js';
import { useTerminal } from './use-terminal.js';

export type Staff = Pick<CashierRow, 'id' | 'name' | 'role' | 'pinHash'>;

export function useCashiers(): Staff[] {
  const { terminal } = useTerminal();
  const storeId = useSyncStatus().storeId;
  const [staff, setStaff] = useState<Staff[]>([]);
  useEffect(() => {
    const subscription = terminal.databases.catalog.cashiers.find().$.subscribe((docs) => {
      setStaff(
        docs
          .filter((d) => storeId === null || d.storeId === storeId)
          .map((d) => ({ id: d.id, name: d.name, role: d.role, pinHash: d.pinHash }))
          .sort((a, b) => a.name.localeCompare(b.name)),
      );
    });
    return () => subscription.unsubscribe();
  }, [terminal, storeId]);
  return staff;
}
