// Paging over HQ's keyset cursors (an answer's `next` is where the following page starts): the cursors of
// the pages shown so far are kept, so the first button walks back and the second on. Filters reset it.
//
//   const pages = useCursorPages<number>();
//   useConsoleQuery(endpoint, { query: { ...filters, before: pages.cursor } }, [filters, pages.cursor]);
//   <CursorPager pages={pages} next={answer.next} label="Audit log pages" />
import { useCallback, useState } from 'react';

export interface CursorPages<C> {
  /** Where the page shown starts (undefined: the first page). */
  cursor: C | undefined;
  /** Whether an earlier page exists. */
  canGoBack: boolean;
  back: () => void;
  forward: (next: C) => void;
  /** Back to the first page (after a filter changed). */
  reset: () => void;
}

export function useCursorPages<C>(): CursorPages<C> {
  const [cursors, setCursors] = useState<readonly C[]>([]);
  const back = useCallback(() => setCursors((shown) => shown.slice(0, -1)), []);
  const forward = useCallback((next: C) => setCursors((shown) => [...shown, next]), []);
  const reset = useCallback(() => setCursors([]), []);
  return { cursor: cursors[cursors.length - 1], canGoBack: cursors.length > 0, back, forward, reset };
}

export function CursorPager<C>({
  pages,
  next,
  label,
  backLabel = 'Newer',
  forwardLabel = 'Older',
}: {
  pages: CursorPages<C>;
  /** The answer's cursor to the following page; null on the last page. */
  next: C | null;
  /** Names the pager for assistive technology ('Audit log pages'). */
  label: string;
  backLabel?: string;
  forwardLabel?: string;
}) {
  return (
    <nav className="pager" aria-label={label}>
      <button type="button" className="button" disabled={!pages.canGoBack} onClick={pages.back}>
        {backLabel}
      </button>
      <button
        type="button"
        className="button"
        disabled={next === null}
        onClick={() => next !== null && pages.forward(next)}
      >
        {forwardLabel}
      </button>
    </nav>
  );
}
