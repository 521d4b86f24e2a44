-- The console's program work: drafts uploaded by a program manager (kept as uploaded, valid or not, with
-- the problems HQ found, so a draft is fixed rather than retyped), and publications of a draft, now or at
-- a set time. A scheduled publication is a row a job publishes once when due: the row lock (FOR UPDATE
-- SKIP LOCKED) lets one HQ process take it, and its status says it is done, so neither a second process
-- nor a restart publishes it again.
CREATE TABLE program_drafts (
  id bigserial PRIMARY KEY,
  -- The document exactly as uploaded (any JSON: an invalid draft is kept with its problems).
  document jsonb NOT NULL,
  -- Every problem with its path, [] for a valid draft.
  problems jsonb NOT NULL DEFAULT '[]'::jsonb,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL,
  updated_by text NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE TABLE program_publications (
  id bigserial PRIMARY KEY,
  draft_id bigint REFERENCES program_drafts (id) ON DELETE SET NULL,
  program_id text NOT NULL,
  version integer NOT NULL,
  -- The program as it will be (or was) published: fixed when the publication is asked for.
  document jsonb NOT NULL,
  publish_at timestamptz NOT NULL,
  status text NOT NULL CHECK (status IN ('scheduled', 'published', 'cancelled', 'failed')),
  requested_by text NOT NULL,
  requested_at timestamptz NOT NULL,
  published_at timestamptz,
  cancelled_by text,
  cancelled_at timestamptz,
  failure text
);
CREATE INDEX program_publications_due ON program_publications (publish_at) WHERE status = 'scheduled';
CREATE INDEX program_publications_version ON program_publications (program_id, version);
-- One pending publication per version: a second schedule of the same version is refused.
CREATE UNIQUE INDEX program_publications_one_pending ON program_publications (program_id, version) WHERE status = 'scheduled';
