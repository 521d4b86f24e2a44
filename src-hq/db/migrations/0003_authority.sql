-- HQ as the authority (src-hq/store/ingest-rules.ts): what HQ applied when it did not apply a terminal's
-- claim as made (an over-claim applied at the program's figure, an altered event's credit held whole).

-- The points figure HQ applied in place of the event's own (earn points, redemption cost, adjustment,
-- bonus, welcome bonus, plan join bonus; for a void, the figure its original was applied at). NULL: as
-- claimed. A replay from scratch passes it to applyEvent, so HQ reproduces its own balances exactly.
ALTER TABLE events ADD COLUMN ruled_points bigint;

-- Unknown-member items are resolved by event when the member appears.
CREATE INDEX review_items_event_open ON review_items (event_id) WHERE status = 'open';
