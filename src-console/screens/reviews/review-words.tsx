// How the review screens word an item's state and the points it holds.
import type { ReviewItemView } from '../../../src-shared/console/reviews.js';

/** Points an item holds for its member (`details.held`), or 0 (as HQ reads it). */
export function heldOf(item: Pick<ReviewItemView, 'details'>): number {
  const held = item.details.held;
  return typeof held === 'number' && Number.isSafeInteger(held) && held > 0 ? held : 0;
}

export function decisionBadge(item: Pick<ReviewItemView, 'status' | 'decision'>) {
  if (item.status === 'open') return <span className="badge badge-warning">Open</span>;
  if (item.decision === 'rejected') return <span className="badge badge-danger">Rejected</span>;
  if (item.decision === 'approved') return <span className="badge">Approved</span>;
  return <span className="badge badge-muted">Resolved by HQ</span>;
}
