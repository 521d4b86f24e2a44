-- The console's fleet view (src-hq/store/fleet.ts).

-- When HQ last heard from a terminal (a pull, a push, a close, an open stream), written at most once a
-- minute per terminal (src-hq/store/fleet-last-seen.ts); NULL until the first request after this migration.
ALTER TABLE terminals ADD COLUMN last_seen_at timestamptz;

-- Members per store (the stores list counts each store's enrollments): one small entry per member.
CREATE INDEX events_enrolled_store ON events (store_id, member_id) WHERE type = 'member-enrolled';
