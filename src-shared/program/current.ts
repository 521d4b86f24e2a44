// Which published version is "current" for a terminal: the one HQ marks current, published last (then the
// highest version) should several claim it. One rule for the renderer's replica and main's card patterns.

/** What the rule reads of a program document (the rest of the document is the caller's). */
export interface ProgramVersionRef {
  current: boolean;
  publishedAt: string;
  version: number;
  /** A tombstone in a pulled page: never current. */
  _deleted?: boolean;
}

/** The current version among `rows`, or null when none is current. */
export function pickCurrentProgram<R extends ProgramVersionRef>(rows: Iterable<R>): R | null {
  let best: R | null = null;
  for (const row of rows) {
    if (!row.current || row._deleted === true) continue;
    const later =
      !best ||
      row.publishedAt > best.publishedAt ||
      (row.publishedAt === best.publishedAt && row.version > best.version);
    if (later) best = row;
  }
  return best;
}
