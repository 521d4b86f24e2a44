// Where the member stands against the offline bound at this terminal while HQ is out of reach (docs/architecture.md
// section 5, src-shared/engine/offline-bound.ts): the allowance left without a manager, and what is left of
// the period's limit (allowance + one override cap) less what this terminal already redeemed offline for
// them since it last reached HQ. Null while online (HQ decides). Issue 16: the bound is the store's
// (store-bound.ts): the store's other tills' offline redemptions HQ has not counted come off it too, and it
// says how much of it was used at other tills. Re-read whenever the shown member is (their peers' events
// changing included).
import { useEffect, useState } from 'react';
import type { StoreOfflineBound } from '../../src-shared/engine/store-bound.js';
import type { ShownMember } from '../services/index.js';
import { useProgram } from './use-program.js';
import { useSyncStatus } from './use-sync-status.js';
import { useTerminal } from './use-terminal.js';

export function useOfflineAllowance(shown: ShownMember | null): StoreOfflineBound | null {
  const { terminal } = useTerminal();
  const status = useSyncStatus();
  const program = useProgram();
  const [bound, setBound] = useState<StoreOfflineBound | null>(null);
  const mode = status.replica?.mode ?? null;
  useEffect(() => {
    if (status.online || !program || !shown) {
      setBound(null);
      return;
    }
    let live = true;
    void terminal.services.offlineBound(shown.member.id).then((next) => {
      if (live) setBound(next);
    });
    return () => {
      live = false;
    };
  }, [terminal, status.online, mode, program, shown]);
  return bound;
}
