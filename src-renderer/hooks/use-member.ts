// A member as the counter shows them, kept current by the services (re-read when HQ sends their document
// and when this terminal's events for them change), so the pending part of the balance moves to confirmed
// on screen as HQ posts it.
import { useCallback, useEffect, useState } from 'react';
import type { ShownMember } from '../services/index.js';
import { useTerminal } from './use-terminal.js';

export interface MemberState {
  shown: ShownMember | null;
  /** True until the first read answered. */
  loading: boolean;
  /** Shows a member already known (the result of a recording) without waiting for a re-read. */
  set: (shown: ShownMember) => void;
}

export function useMember(memberId: string): MemberState {
  const { terminal } = useTerminal();
  const [shown, setShown] = useState<ShownMember | null>(null);
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    const subscription = terminal.services.member$(memberId).subscribe((read) => {
      // A failed read keeps what is shown; either way the first answer ends the loading.
      if (read.ok) setShown(read.value);
      setLoading(false);
    });
    return () => subscription.unsubscribe();
  }, [terminal, memberId]);

  const set = useCallback((m: ShownMember) => setShown(m), []);
  return { shown, loading, set };
}
