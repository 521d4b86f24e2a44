-- Events partitioned by month (issue 15). The events table becomes a table partitioned by range of
-- occurred_at, one partition per calendar month in UTC (events_YYYY_MM, the months the `month` column has
-- always named) and a default partition (events_default) for an event of a month that has no partition yet,
-- so no event is ever refused for its date. Partitions are made ahead by HQ's partition job
-- (src-hq/jobs/partitions.ts, which calls events_ensure_month below) and here for the months in the data.
--
-- Why occurred_at and not `month`: the day close and the reports already ask for a range of occurred_at,
-- so they prune to the one or two partitions of their days without naming the partition key; a key on
-- `month` would need every query to repeat the month.
--
-- PostgreSQL requires every unique index of a partitioned table to contain the partition key, so the three
-- uniqueness rules ingest relies on (src-hq/store/ingest) move to two small unpartitioned key tables kept by
-- triggers: event_keys (the event id, and the terminal's sequence number) and event_voids (one applied void
-- per original). Their constraints keep the names the old indexes had (events_pkey,
-- events_terminal_id_terminal_seq_key, events_one_void), so a racing duplicate fails with the same
-- unique_violation and the same constraint name, and ingest retries it as before without knowing.
-- The events table itself has no unique index: a partition-local one would only repeat what the key tables
-- check, and would answer a race under another name.

ALTER TABLE events RENAME TO events_unpartitioned;

-- The same columns, defaults, NOT NULLs, CHECKs and generated columns as before (and whatever an earlier
-- migration added), without the old indexes.
CREATE TABLE events (LIKE events_unpartitioned INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED)
  PARTITION BY RANGE (occurred_at);

CREATE TABLE events_default PARTITION OF events DEFAULT;

-- Makes the partition of the UTC month starting `m` unless it exists, and returns whether it made it.
-- Events of that month already in the default partition move into it, so it can be attached. Serialised on
-- an advisory lock, so two HQ processes running the job together make it once. The caller should set a
-- lock_timeout: attaching waits for the readers of the default partition.
CREATE FUNCTION events_ensure_month(m date) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
  partition_name text := 'events_' || to_char(date_trunc('month', m), 'YYYY_MM');
  lower_bound timestamptz := (date_trunc('month', m)::timestamp AT TIME ZONE 'UTC');
  upper_bound timestamptz := ((date_trunc('month', m) + interval '1 month')::timestamp AT TIME ZONE 'UTC');
  stored_columns text;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('events_ensure_month'));
  IF EXISTS (
    SELECT 1 FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = 'events'::regclass AND c.relname = partition_name
  ) THEN
    RETURN false;
  END IF;
  SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) INTO stored_columns
  FROM pg_attribute
  WHERE attrelid = 'events'::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = '';
  EXECUTE format(
    'CREATE TABLE %I (LIKE events INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED)',
    partition_name);
  -- Straight between the partitions: the rows stay the same events, so the key tables do not change.
  EXECUTE format(
    'WITH moved AS (DELETE FROM events_default WHERE occurred_at >= %L AND occurred_at < %L RETURNING %s) '
    || 'INSERT INTO %I (%s) SELECT %s FROM moved',
    lower_bound, upper_bound, stored_columns, partition_name, stored_columns, stored_columns);
  EXECUTE format('ALTER TABLE events ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)',
    partition_name, lower_bound, upper_bound);
  RETURN true;
END
$$;

-- The months of the events held (up to three months ahead: a far-future date stays in the default
-- partition), and this month and the next three.
SELECT events_ensure_month(m) FROM (
  SELECT DISTINCT date_trunc('month', occurred_at AT TIME ZONE 'UTC')::date AS m FROM events_unpartitioned
  UNION
  SELECT (date_trunc('month', now() AT TIME ZONE 'UTC') + n * interval '1 month')::date FROM generate_series(0, 3) n
) months
WHERE m <= (date_trunc('month', now() AT TIME ZONE 'UTC') + interval '3 months')::date
ORDER BY m;

-- Every stored column (the generated ones are derived again), by name.
DO $$
DECLARE
  stored_columns text;
BEGIN
  SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) INTO stored_columns
  FROM pg_attribute
  WHERE attrelid = 'events_unpartitioned'::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = '';
  EXECUTE format('INSERT INTO events (%s) SELECT %s FROM events_unpartitioned', stored_columns, stored_columns);
END
$$;

DROP TABLE events_unpartitioned;

-- The indexes the events had (0001, 0002, 0010, 0011, 0012, 0014, 0016), now one per partition, except the
-- unique ones (in the key tables below) and `month` (no query reads by it: the partitions are the months).
CREATE INDEX events_id ON events (id);
CREATE INDEX events_terminal_seq ON events (terminal_id, terminal_seq);
CREATE INDEX events_terminal_change ON events (terminal_id, change_seq);
CREATE INDEX events_member ON events (member_id, member_seq);
CREATE INDEX events_voids ON events (voids) WHERE voids IS NOT NULL;
CREATE INDEX events_waiting ON events (member_id) WHERE member_seq IS NULL AND NOT applied;
CREATE INDEX events_occurred ON events (occurred_at)
  INCLUDE (store_id, member_id, terminal_id, type, status, applied, points_delta, money_amount);
CREATE INDEX events_type_occurred ON events (type, occurred_at)
  INCLUDE (store_id, member_id, status, applied, points_delta, money_amount, reward_id, reward_quantity);
CREATE INDEX events_store_occurred ON events (store_id, occurred_at)
  INCLUDE (member_id, terminal_id, type, status, applied, points_delta);
CREATE INDEX events_enrollment_store ON events (member_id, store_id) WHERE type = 'member-enrolled';
CREATE INDEX events_member_visit ON events (member_id, occurred_at DESC) WHERE terminal_id <> 'hq';
CREATE INDEX events_enrolled_store ON events (store_id, member_id) WHERE type = 'member-enrolled';
CREATE INDEX events_change_seq ON events (change_seq);
-- New: the day close reads a terminal's events of one day (src-hq/store/closes.ts).
CREATE INDEX events_terminal_occurred ON events (terminal_id, occurred_at);

-- The keys, across every partition.
CREATE TABLE event_keys (
  id uuid NOT NULL,
  terminal_id text NOT NULL,
  terminal_seq bigint NOT NULL,
  CONSTRAINT events_pkey PRIMARY KEY (id),
  CONSTRAINT events_terminal_id_terminal_seq_key UNIQUE (terminal_id, terminal_seq)
);
INSERT INTO event_keys (id, terminal_id, terminal_seq) SELECT id, terminal_id, terminal_seq FROM events;

CREATE TABLE event_voids (
  voids text NOT NULL,
  event_id uuid NOT NULL,
  CONSTRAINT events_one_void PRIMARY KEY (voids)
);
INSERT INTO event_voids (voids, event_id) SELECT voids, id FROM events WHERE voids IS NOT NULL AND applied;

-- One statement's rows at once (ingest writes a batch in one INSERT): a statement trigger with transition
-- tables, so a batch of 500 events costs one INSERT into each key table, not 500 function calls.
CREATE FUNCTION events_keys_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO event_keys (id, terminal_id, terminal_seq) SELECT id, terminal_id, terminal_seq FROM inserted_events;
  INSERT INTO event_voids (voids, event_id)
    SELECT voids, id FROM inserted_events WHERE voids IS NOT NULL AND applied;
  RETURN NULL;
END
$$;
CREATE TRIGGER events_keys_inserted AFTER INSERT ON events
  REFERENCING NEW TABLE AS inserted_events FOR EACH STATEMENT EXECUTE FUNCTION events_keys_inserted();

-- An update may apply a void or take one back (ingest re-rules a void when its original arrives late).
CREATE FUNCTION events_keys_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM event_voids v USING old_events o JOIN new_events n ON n.id = o.id
  WHERE o.voids IS NOT NULL AND o.applied AND v.voids = o.voids AND v.event_id = o.id
    AND NOT (n.applied AND n.voids IS NOT DISTINCT FROM o.voids);
  INSERT INTO event_voids (voids, event_id)
    SELECT n.voids, n.id FROM new_events n JOIN old_events o ON o.id = n.id
    WHERE n.voids IS NOT NULL AND n.applied AND NOT (o.applied AND o.voids IS NOT DISTINCT FROM n.voids);
  RETURN NULL;
END
$$;
CREATE TRIGGER events_keys_updated AFTER UPDATE ON events
  REFERENCING OLD TABLE AS old_events NEW TABLE AS new_events
  FOR EACH STATEMENT EXECUTE FUNCTION events_keys_updated();

CREATE FUNCTION events_keys_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM event_keys k USING deleted_events d WHERE k.id = d.id;
  DELETE FROM event_voids v USING deleted_events d WHERE v.event_id = d.id;
  RETURN NULL;
END
$$;
CREATE TRIGGER events_keys_deleted AFTER DELETE ON events
  REFERENCING OLD TABLE AS deleted_events FOR EACH STATEMENT EXECUTE FUNCTION events_keys_deleted();

CREATE FUNCTION events_keys_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE event_keys, event_voids;
  RETURN NULL;
END
$$;
CREATE TRIGGER events_keys_truncated AFTER TRUNCATE ON events
  FOR EACH STATEMENT EXECUTE FUNCTION events_keys_truncated();

-- An event's keys never change (the key tables follow inserts and deletes only).
CREATE FUNCTION events_keys_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'an event''s id, terminal_id and terminal_seq never change (event %)', OLD.id
    USING ERRCODE = 'integrity_constraint_violation';
END
$$;
CREATE TRIGGER events_keys_fixed BEFORE UPDATE OF id, terminal_id, terminal_seq ON events
  FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id OR OLD.terminal_id IS DISTINCT FROM NEW.terminal_id
    OR OLD.terminal_seq IS DISTINCT FROM NEW.terminal_seq)
  EXECUTE FUNCTION events_keys_fixed();

ANALYZE events;
