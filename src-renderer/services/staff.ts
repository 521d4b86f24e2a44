// The store's staff from the replica (cashiers and managers), kept current as HQ sends changes. The
// replica may hold other stores' staff: only this store's can sign in here. No PIN hashes: the renderer
// asks main to check a PIN (TerminalApi.checkPin).
import { map, type Observable } from 'rxjs';
import type { CatalogReader } from '../db/catalog.js';
import type { CashierRow } from '../db/schemas.js';

export type Staff = Pick<CashierRow, 'id' | 'name' | 'role'>;

/** The staff of `storeId` (everyone in the replica when null: the store is not known yet), by name. */
export function staff$(catalog: CatalogReader, storeId: string | null): Observable<Staff[]> {
  return catalog.cashiers$().pipe(
    map((rows) =>
      rows
        .filter((d) => storeId === null || d.storeId === storeId)
        .map((d) => ({ id: d.id, name: d.name, role: d.role }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    ),
  );
}
