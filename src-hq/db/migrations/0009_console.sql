-- The back office: console users (password hashed with scrypt), their sessions (the cookie token's SHA-256,
-- never the token), and the audit log of every console action.
CREATE TABLE console_users (
  id text PRIMARY KEY,
  username text NOT NULL UNIQUE,
  name text NOT NULL,
  role text NOT NULL CHECK (role IN ('admin', 'program-manager', 'analyst', 'store-manager')),
  store_ids text[] NOT NULL DEFAULT '{}',
  password_hash text NOT NULL,
  disabled boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_sign_in_at timestamptz
);

CREATE TABLE console_sessions (
  token_hash text PRIMARY KEY,
  user_id text NOT NULL REFERENCES console_users (id),
  created_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX console_sessions_user ON console_sessions (user_id);

CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL,
  user_id text,
  actor text NOT NULL,
  action text NOT NULL,
  target text,
  reason text,
  outcome text NOT NULL CHECK (outcome IN ('done', 'refused')),
  details jsonb NOT NULL DEFAULT '{}',
  ip text
);
CREATE INDEX audit_log_at ON audit_log (at DESC);
