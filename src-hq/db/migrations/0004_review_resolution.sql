-- The review queue can be worked (src-hq/store/reviews.ts): every resolution records who decided, what,
-- when (resolved_at) and why, and an approval that credits held points names the HQ event it made.

ALTER TABLE review_items ADD COLUMN resolved_by text;
ALTER TABLE review_items ADD COLUMN decision text CHECK (decision IN ('approved', 'rejected', 'resolved'));
ALTER TABLE review_items ADD COLUMN note text;
ALTER TABLE review_items ADD COLUMN event_id_credit uuid;

-- Items resolved before this migration were resolved by HQ itself.
UPDATE review_items SET decision = 'resolved', resolved_by = 'hq', resolved_at = COALESCE(resolved_at, now())
WHERE status = 'resolved';

-- An open item has no resolution. A resolved one has its time; an UPDATE that leaves decision and
-- resolved_by empty is HQ resolving it itself (read as decision 'resolved' by 'hq').
ALTER TABLE review_items ADD CONSTRAINT review_items_resolution CHECK (
  (status = 'open' AND decision IS NULL AND resolved_by IS NULL AND resolved_at IS NULL AND event_id_credit IS NULL)
  OR (status = 'resolved' AND resolved_at IS NOT NULL)
);

-- Filters of the admin list, each with the id for keyset paging (the list is in id order).
CREATE INDEX review_items_status_id ON review_items (status, id);
CREATE INDEX review_items_kind_id ON review_items (kind, id);
CREATE INDEX review_items_member_id ON review_items (member_id, id);
CREATE INDEX review_items_terminal_id ON review_items (terminal_id, id);
CREATE INDEX review_items_created ON review_items (created_at);
