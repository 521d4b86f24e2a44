// Manager approvals (adjust, void, a redemption override above the offline allowance) take a `managerId`:
// the UI has main check the manager's PIN (TerminalApi.checkPin, purpose 'manager') before calling. This layer only checks that the id names a manager of this store in the replica.
import { ok, type Result } from '../../src-shared/kernel/result.js';
import type { CatalogReader } from '../db/catalog.js';
import { refuseSaying, type Refusal } from './counter-types.js';

export async function requireManager(
  catalog: CatalogReader,
  managerId: string,
): Promise<Result<void, Refusal>> {
  const cashier = await catalog.cashier(managerId);
  if (!cashier || cashier.role !== 'manager')
    return refuseSaying('manager-required', 'manager-required', 'This needs a manager of this store');
  return ok(undefined);
}
