-- The console dashboard's reads (src-hq/reports/dashboard.ts, roi.ts) are for a range of local days, over
-- every event of it: at a million events they must not read the events' bodies (bench/dashboard.bench.ts).
-- So the few body fields they sum are kept beside the body as generated columns (derived by PostgreSQL from
-- the body itself, so they cannot disagree with it and no writer changes), and covering indexes answer the
-- reports from the index alone: by when events happened, by type then when, and by store then when (a store
-- manager's dashboard).

-- money_amount: the money an event moves, minor units: a sale's basket total, the total of the sale a void
-- reverses, the spend a return gives back, a paid plan's fee; null for every other event. reward_id and
-- reward_quantity: a redemption's reward and how many units of it. One ALTER: one rewrite of the table.
ALTER TABLE events
  ADD COLUMN money_amount bigint GENERATED ALWAYS AS (
  CASE type
    WHEN 'points-earned' THEN (body->'payload'->'basket'->>'total')::bigint
    WHEN 'event-voided' THEN (body->'payload'->'original'->'payload'->'basket'->>'total')::bigint
    WHEN 'points-returned' THEN (body->'payload'->>'spend')::bigint
    WHEN 'plan-joined' THEN (body->'payload'->>'fee')::bigint
  END
) STORED,
  ADD COLUMN reward_id text GENERATED ALWAYS AS (
  CASE WHEN type = 'points-redeemed' THEN body->'payload'->>'rewardId' END
) STORED,
  ADD COLUMN reward_quantity bigint GENERATED ALWAYS AS (
  CASE WHEN type = 'points-redeemed' THEN (body->'payload'->>'quantity')::bigint END
) STORED;

CREATE INDEX events_occurred ON events (occurred_at)
  INCLUDE (store_id, member_id, terminal_id, type, status, applied, points_delta, money_amount);
CREATE INDEX events_type_occurred ON events (type, occurred_at)
  INCLUDE (store_id, member_id, status, applied, points_delta, money_amount, reward_id, reward_quantity);
CREATE INDEX events_store_occurred ON events (store_id, occurred_at)
  INCLUDE (member_id, terminal_id, type, status, applied, points_delta);
