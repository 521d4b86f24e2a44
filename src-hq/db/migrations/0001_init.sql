-- HQ's initial schema. Terminals replicate members, products, programs, cashiers and their own events by
-- `change_seq`: every write to a replicated table takes the next number of its collection from
-- `change_counters` inside the writing transaction. The counter row stays locked until commit, so numbers
-- become visible in order and a pull checkpoint can never pass a row that is still to appear.

CREATE TABLE change_counters (
  collection text PRIMARY KEY,
  seq bigint NOT NULL DEFAULT 0
);
INSERT INTO change_counters (collection) VALUES ('members'), ('products'), ('programs'), ('cashiers'), ('events');

CREATE TABLE stores (
  id text PRIMARY KEY,
  name text NOT NULL,
  time_zone text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE terminals (
  id text PRIMARY KEY,
  store_id text NOT NULL REFERENCES stores (id),
  name text NOT NULL,
  -- SHA-256 of the bearer token; the token itself is shown once at enrollment and never stored.
  token_hash text UNIQUE,
  enrolled_at timestamptz,
  revoked_at timestamptz,
  -- The head of the terminal's hash chain as HQ has received it.
  last_seq bigint NOT NULL DEFAULT 0,
  last_hash text NOT NULL DEFAULT '0000000000000000000000000000000000000000000000000000000000000000',
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE enrollment_codes (
  code_hash text PRIMARY KEY,
  store_id text NOT NULL REFERENCES stores (id),
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  terminal_id text REFERENCES terminals (id)
);

CREATE TABLE admin_tokens (
  token_hash text PRIMARY KEY,
  name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);

CREATE TABLE cashiers (
  id text PRIMARY KEY,
  store_id text NOT NULL REFERENCES stores (id),
  name text NOT NULL,
  role text NOT NULL CHECK (role IN ('cashier', 'manager')),
  pin_hash text NOT NULL,
  deleted boolean NOT NULL DEFAULT false,
  change_seq bigint NOT NULL
);
CREATE INDEX cashiers_change ON cashiers (change_seq);

-- Program versions are immutable: a change is a new version. `current` marks the one terminals quote with.
CREATE TABLE programs (
  program_id text NOT NULL,
  version integer NOT NULL,
  definition jsonb NOT NULL,
  published_at timestamptz NOT NULL DEFAULT now(),
  current boolean NOT NULL DEFAULT false,
  change_seq bigint NOT NULL,
  PRIMARY KEY (program_id, version)
);
CREATE INDEX programs_change ON programs (change_seq);
CREATE UNIQUE INDEX programs_one_current ON programs (program_id) WHERE current;

CREATE TABLE products (
  sku text PRIMARY KEY,
  gtin text,
  name text NOT NULL,
  category text NOT NULL,
  price bigint NOT NULL CHECK (price >= 0),
  currency text NOT NULL,
  deleted boolean NOT NULL DEFAULT false,
  change_seq bigint NOT NULL
);
CREATE INDEX products_change ON products (change_seq);
CREATE INDEX products_gtin ON products (gtin);

-- The member projection (src-shared applyEvent) as one JSON document, with the columns HQ queries on.
CREATE TABLE members (
  id text PRIMARY KEY,
  doc jsonb NOT NULL,
  member_seq bigint NOT NULL DEFAULT 0,
  balance bigint NOT NULL DEFAULT 0,
  debt bigint NOT NULL DEFAULT 0,
  tier text,
  status text NOT NULL DEFAULT 'active',
  phone_hash text,
  deleted boolean NOT NULL DEFAULT false,
  change_seq bigint NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX members_change ON members (change_seq);
CREATE INDEX members_phone ON members (phone_hash);

-- Full contact details: HQ only, never replicated to terminals.
CREATE TABLE member_profiles (
  member_id text PRIMARY KEY REFERENCES members (id),
  first_name text,
  last_name text,
  email text,
  phone text,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE cards (
  number text PRIMARY KEY,
  member_id text NOT NULL REFERENCES members (id)
);
CREATE INDEX cards_member ON cards (member_id);

-- Events, exactly once: primary key on the terminal-made id, unique (terminal_id, terminal_seq).
-- Partition-ready by month (`month`); see docs/operations.md for the partitioned and sharded layout.
CREATE TABLE events (
  id uuid PRIMARY KEY,
  terminal_id text NOT NULL,
  terminal_seq bigint NOT NULL,
  store_id text NOT NULL,
  member_id text NOT NULL,
  type text NOT NULL,
  occurred_at timestamptz NOT NULL,
  month date NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  program_version integer NOT NULL,
  prev_hash text NOT NULL,
  hash text NOT NULL,
  body jsonb NOT NULL,
  -- HQ's bookkeeping, outside the hashed event.
  member_seq bigint,
  status text NOT NULL CHECK (status IN ('posted', 'flagged', 'quarantined')),
  reason text,
  points_delta bigint NOT NULL DEFAULT 0,
  change_seq bigint NOT NULL,
  UNIQUE (terminal_id, terminal_seq)
);
CREATE INDEX events_terminal_change ON events (terminal_id, change_seq);
CREATE INDEX events_member ON events (member_id, member_seq);
CREATE INDEX events_month ON events (month);

-- A push of an existing id with different content: kept aside, never merged, shown to the manager.
CREATE TABLE quarantine (
  id bigserial PRIMARY KEY,
  event_id text NOT NULL,
  terminal_id text NOT NULL,
  body jsonb NOT NULL,
  reason text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX quarantine_terminal ON quarantine (terminal_id);

CREATE TABLE review_items (
  id bigserial PRIMARY KEY,
  kind text NOT NULL,
  member_id text,
  terminal_id text,
  event_id text,
  details jsonb NOT NULL DEFAULT '{}'::jsonb,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
  created_at timestamptz NOT NULL DEFAULT now(),
  resolved_at timestamptz
);
CREATE INDEX review_items_open ON review_items (status, created_at);

CREATE TABLE day_closes (
  terminal_id text NOT NULL REFERENCES terminals (id),
  business_day date NOT NULL,
  terminal_figures jsonb NOT NULL,
  hq_figures jsonb NOT NULL,
  status text NOT NULL CHECK (status IN ('match', 'mismatch')),
  differences jsonb NOT NULL,
  closed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (terminal_id, business_day)
);

CREATE TABLE job_runs (
  id bigserial PRIMARY KEY,
  job text NOT NULL,
  business_day date NOT NULL,
  summary jsonb NOT NULL,
  ran_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (job, business_day)
);
