-- Ingest bookkeeping (src-hq/store/ingest.ts).

-- Whether the event changed its member's projection. A stored event is never dropped, but some are not
-- applied: an event for a member HQ does not know yet (member_seq NULL: applied once the enrollment
-- arrives), and refused ones (a second void of one event, a void that does not match its original, a
-- second enrollment of a member), which still get a member_seq so terminals see them as settled.
ALTER TABLE events ADD COLUMN applied boolean NOT NULL DEFAULT true;

-- The event an `event-voided` voids. At most one applied void per original, enforced here as well as
-- by ingest (a second void is stored, flagged and not applied).
ALTER TABLE events ADD COLUMN voids text;
CREATE UNIQUE INDEX events_one_void ON events (voids) WHERE voids IS NOT NULL AND applied;
CREATE INDEX events_voids ON events (voids) WHERE voids IS NOT NULL;

-- Events waiting for their member to be enrolled.
CREATE INDEX events_waiting ON events (member_id) WHERE member_seq IS NULL AND NOT applied;

-- The head of HQ's own event chain (events made by HQ jobs: terminal id, store id and cashier id 'hq'),
-- kept apart from `terminals` so HQ never shows up as a store's terminal.
CREATE TABLE hq_chain (
  id text PRIMARY KEY CHECK (id = 'hq'),
  last_seq bigint NOT NULL DEFAULT 0,
  last_hash text NOT NULL DEFAULT '0000000000000000000000000000000000000000000000000000000000000000'
);
INSERT INTO hq_chain (id) VALUES ('hq');

-- A referrer is credited once per referred member (the referred member's first earn).
CREATE TABLE referral_awards (
  member_id text PRIMARY KEY,
  referrer_id text NOT NULL,
  event_id uuid NOT NULL,
  awarded_at timestamptz NOT NULL DEFAULT now()
);

-- A conflicting re-push is quarantined once, however often it is retried.
CREATE INDEX quarantine_event ON quarantine (event_id);

-- Open gap items of a terminal, resolved when the missing events arrive.
CREATE INDEX review_items_terminal_open ON review_items (terminal_id, kind) WHERE status = 'open';
