// Where the member stands against the offline bound at this terminal while HQ is out of reach (docs/architecture.md
// section 5, src-shared/engine/offline-bound.ts): the allowance left without a manager, and what is left of
// the period's limit (allowance + one override cap) less what this terminal already redeemed offline for
// them since it last reached HQ. Null while online (HQ decides).
import { useEffect, useState } from 'react';
import { offlineBound, type OfflineBound } from '../../src-shared/engine/offline-bound.js';
import type { ShownMember } from '../services/index.js';
import { useProgram } from './use-program.js';
import { useSyncStatus } from './use-sync-status.js';
import { useTerminal } from './use-terminal.js';

export function useOfflineAllowance(shown: ShownMember | null): OfflineBound | null {
  const { terminal } = useTerminal();
  const status = useSyncStatus();
  const program = useProgram();
  const [bound, setBound] = useState<OfflineBound | null>(null);
  const mode = status.replica?.mode ?? null;
  useEffect(() => {
    if (status.online || !program || !shown) {
      setBound(null);
      return;
    }
    let live = true;
    void terminal.services.offlineState(shown.member.id).then((state) => {
      if (!live) return;
      setBound(state.online ? null : offlineBound(program, state));
    });
    return () => {
      live = false;
    };
  }, [terminal, status.online, mode, program, shown]);
  return bound;
}
