-- Re-engagement (src-hq/store/engagement): members' marketing consent, the chain's messaging tool webhook,
-- and the deliveries HQ makes to it, kept here so a delivery survives an HQ restart and no batch that was
-- answered with success is sent again.

-- Whether a member agreed to marketing messages. No row: never asked, which counts as no. Tied to the
-- member's contact details: erasing the profile erases the consent with it.
CREATE TABLE member_consents (
  member_id text PRIMARY KEY REFERENCES member_profiles (member_id) ON DELETE CASCADE,
  marketing boolean NOT NULL,
  recorded_at timestamptz NOT NULL,
  recorded_by text NOT NULL
);

-- The chain's messaging tool: one endpoint. The signing secret is kept as is, not hashed: HQ needs it to
-- sign every batch (HMAC-SHA256), so a hash would be useless; it is never answered after it is made.
CREATE TABLE engagement_webhook (
  id text PRIMARY KEY CHECK (id = 'default'),
  url text NOT NULL,
  secret text NOT NULL,
  -- The first characters of the secret's SHA-256, so an admin can tell which secret the tool should have.
  secret_hint text NOT NULL,
  updated_at timestamptz NOT NULL,
  updated_by text NOT NULL
);

-- A segment handed to the messaging tool. Its id is the idempotency key (each batch's is `<id>:<batch>`).
-- Batches go in order; `sent_batches` is how many were answered with success, so the next to send is the
-- batch numbered `sent_batches`. `next_attempt_at` is when the worker may try it (a claim pushes it
-- forward by a lease, so a worker that dies mid-send gives it back).
CREATE TABLE engagement_deliveries (
  id uuid PRIMARY KEY,
  segment jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  created_by text NOT NULL,
  status text NOT NULL CHECK (status IN ('sending', 'delivered', 'failed')),
  members integer NOT NULL CHECK (members >= 0),
  batches integer NOT NULL CHECK (batches > 0),
  sent_batches integer NOT NULL DEFAULT 0 CHECK (sent_batches BETWEEN 0 AND batches),
  -- Failed attempts at the current batch.
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz,
  last_error text,
  finished_at timestamptz
);
CREATE INDEX engagement_deliveries_due ON engagement_deliveries (next_attempt_at) WHERE status = 'sending';
CREATE INDEX engagement_deliveries_created ON engagement_deliveries (created_at DESC);

-- Each batch's exact body, made once at creation so every attempt sends the same bytes. Personal data is
-- not kept longer than needed: the body is dropped once the batch is delivered, or the delivery failed.
CREATE TABLE engagement_delivery_batches (
  delivery_id uuid NOT NULL REFERENCES engagement_deliveries (id) ON DELETE CASCADE,
  seq integer NOT NULL CHECK (seq >= 0),
  members integer NOT NULL,
  body text,
  sent_at timestamptz,
  PRIMARY KEY (delivery_id, seq)
);

-- A member's last visit (their latest event at a store's terminal) for the dormant segment and the store a
-- member belongs to.
CREATE INDEX events_member_visit ON events (member_id, occurred_at DESC) WHERE terminal_id <> 'hq';
