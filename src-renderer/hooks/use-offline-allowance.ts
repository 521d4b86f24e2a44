// Points the member may still redeem here while HQ is out of reach (DESIGN.md section 5): HQ's allowance
// from the replica, reduced in stale mode, less what this terminal already redeemed offline for them;
// nothing once the replica expired. Null while online (HQ decides).
import { useEffect, useState } from 'react';
import { availableOffline } from '../../src-shared/engine/offline.js';
import type { ShownMember } from '../db/index.js';
import { useProgram } from './use-program.js';
import { useSyncStatus } from './use-sync-status.js';
import { useTerminal } from './use-terminal.js';

export function useOfflineAllowance(shown: ShownMember | null): number | null {
  const { terminal } = useTerminal();
  const status = useSyncStatus();
  const program = useProgram();
  const [available, setAvailable] = useState<number | null>(null);
  const mode = status.replica?.mode ?? null;
  useEffect(() => {
    if (status.online || !program || !shown) {
      setAvailable(null);
      return;
    }
    let live = true;
    void terminal.services.offlineState(shown.member.id).then((state) => {
      if (!live) return;
      // HQ's figure, not the projection's: a member HQ has not sent yet has no allowance.
      setAvailable(availableOffline({ offlineAllowance: shown.hq?.offlineAllowance ?? 0 }, program, state));
    });
    return () => {
      live = false;
    };
  }, [terminal, status.online, mode, program, shown]);
  return available;
}
