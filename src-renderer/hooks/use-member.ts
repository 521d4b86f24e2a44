// A member as the counter shows them, kept current: re-read when HQ sends their document (a pull) and when
// this terminal's events for them change (a recording, or HQ's verdict on one), so the pending part of the
// balance moves to confirmed on screen as HQ posts it.
import { useCallback, useEffect, useState } from 'react';
import { auditTime, merge } from 'rxjs';
import type { ShownMember } from '../db/index.js';
import { useTerminal } from './use-terminal.js';

export interface MemberState {
  shown: ShownMember | null;
  /** True until the first read answered. */
  loading: boolean;
  /** Shows a member already known (the result of a recording) without waiting for a re-read. */
  set(shown: ShownMember): void;
}

export function useMember(memberId: string): MemberState {
  const { terminal } = useTerminal();
  const [shown, setShown] = useState<ShownMember | null>(null);
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    let live = true;
    let reads = 0;
    const read = () => {
      const n = ++reads;
      terminal.services.member(memberId).then(
        (m) => {
          // Only the latest read counts: an older one may finish last.
          if (!live || n !== reads) return;
          setShown(m);
          setLoading(false);
        },
        () => {
          if (live) setLoading(false);
        },
      );
    };
    read();
    const { catalog, ledger } = terminal.databases;
    const subscription = merge(
      catalog.members.findOne(memberId).$,
      ledger.events.find({ selector: { memberId } }).$,
    )
      .pipe(auditTime(30))
      .subscribe(read);
    return () => {
      live = false;
      subscription.unsubscribe();
    };
  }, [terminal, memberId]);

  const set = useCallback((m: ShownMember) => setShown(m), []);
  return { shown, loading, set };
}
