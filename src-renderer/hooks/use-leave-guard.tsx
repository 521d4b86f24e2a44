// What leaving the counter now would throw away (a sale's basket), said by the screen that holds it, so that
// Sign out in the status bar, which knows nothing of screens, asks first. One screen at a time says it.
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';

interface LeaveGuard {
  /** "The basket's 7 lines", or null when leaving loses nothing. */
  unsaved: string | null;
  setUnsaved: (what: string | null) => void;
}

const LeaveGuardContext = createContext<LeaveGuard | null>(null);

export function LeaveGuardProvider(props: { children: ReactNode }) {
  const [unsaved, setUnsaved] = useState<string | null>(null);
  const value = useMemo(() => ({ unsaved, setUnsaved }), [unsaved]);
  return <LeaveGuardContext value={value}>{props.children}</LeaveGuardContext>;
}

/** The calling screen holds `what` (null: nothing) while it is mounted. */
export function useUnsavedWork(what: string | null): void {
  const setUnsaved = useContext(LeaveGuardContext)?.setUnsaved;
  useEffect(() => {
    if (!setUnsaved) return;
    setUnsaved(what);
    return () => setUnsaved(null);
  }, [setUnsaved, what]);
}

/** What leaving would throw away now (null: nothing, or no provider). */
export function useUnsavedWorkText(): string | null {
  return useContext(LeaveGuardContext)?.unsaved ?? null;
}
