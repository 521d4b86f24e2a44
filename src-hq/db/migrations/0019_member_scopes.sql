-- Which members a store's tills hold (src-shared/sync/scope.ts, src-hq/store/scope.ts). One row per member
-- and store HQ has seen them at: enrolled there, the last day (UTC) of an event there, the last fetch on
-- demand by one of its tills. Kept up to date by a trigger on events, in the writing transaction, so a
-- member who enters a store's scope through an event does so in the same commit as the member change the
-- event makes (which takes a new change number): a till's pull never passes that change before the entry is
-- visible. A fetch on demand writes its row and takes a new change number for the member itself.
-- The chain's rules are a settings row (`member_scope`, JSON); without one, every till holds every member.

CREATE TABLE member_scopes (
  store_id text NOT NULL,
  member_id text NOT NULL,
  enrolled boolean NOT NULL DEFAULT false,
  last_active date,
  fetched_at timestamptz,
  -- A new till's snapshot reads a store's (or region's) entries: from the index alone.
  PRIMARY KEY (store_id, member_id) INCLUDE (enrolled, last_active, fetched_at)
);
-- The pull asks, member by member, whether one of a store's entries counts: from the index alone too.
CREATE INDEX member_scopes_member ON member_scopes (member_id, store_id) INCLUDE (enrolled, last_active, fetched_at);

-- A region groups stores whose tills share their members (rules with area 'region').
ALTER TABLE stores ADD COLUMN region text CHECK (region IS NULL OR length(region) BETWEEN 1 AND 64);
CREATE INDEX stores_region ON stores (region) WHERE region IS NOT NULL;

-- What is already known: every member's enrollments and last day of activity per store.
INSERT INTO member_scopes (store_id, member_id, enrolled, last_active)
SELECT e.store_id, e.member_id, bool_or(e.type = 'member-enrolled'), max((e.occurred_at AT TIME ZONE 'UTC')::date)
FROM events e JOIN stores s ON s.id = e.store_id
GROUP BY e.store_id, e.member_id;

-- Once per insert statement (a push batch), over the rows it added: HQ's own events (store 'hq') and other
-- non-stores count for no store. A row is rewritten only when it changes (a first enrollment, a later day),
-- so a member earning all day at one store costs one write a day. In key order, like every writer.
CREATE FUNCTION note_member_scopes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO member_scopes AS ms (store_id, member_id, enrolled, last_active)
  SELECT a.store_id, a.member_id, bool_or(a.type = 'member-enrolled'),
         max((a.occurred_at AT TIME ZONE 'UTC')::date)
  FROM added a JOIN stores s ON s.id = a.store_id
  GROUP BY a.store_id, a.member_id
  ORDER BY a.store_id, a.member_id
  ON CONFLICT (store_id, member_id) DO UPDATE
    SET enrolled = ms.enrolled OR excluded.enrolled,
        last_active = greatest(ms.last_active, excluded.last_active)
    WHERE (excluded.enrolled AND NOT ms.enrolled)
       OR ms.last_active IS NULL OR excluded.last_active > ms.last_active;
  RETURN NULL;
END
$$;

CREATE TRIGGER events_member_scopes AFTER INSERT ON events
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION note_member_scopes();
