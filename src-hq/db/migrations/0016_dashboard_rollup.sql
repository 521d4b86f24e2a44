-- The dashboard's rollup (src-hq/reports/rollup.ts): the additive figures of the events per local day of the
-- program's zone and store, so a range of days reads at most days × stores rows instead of every event in
-- it. Derived data only: recomputed whole for each day that events above the watermark touched, rebuilt
-- from nothing when the program's zone changes, and safe to empty (the next read rebuilds it).

-- The zone the days are in and the highest events.change_seq whose day is rolled up (events commit in
-- change_seq order: store/changes.ts). One row.
CREATE TABLE dashboard_rollup_state (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  time_zone text NOT NULL,
  watermark bigint NOT NULL
);

-- Per day and store, over the events not quarantined: how many; the applied points issued, redeemed and
-- expired (the CLI's split); applied enrollments and redemptions; members with an event of their own
-- (HQ's jobs' events left out); and the ROI's sales, voids, returns and plan fees.
CREATE TABLE dashboard_rollup (
  day date NOT NULL,
  store_id text NOT NULL,
  events bigint NOT NULL,
  issued bigint NOT NULL,
  redeemed bigint NOT NULL,
  expired bigint NOT NULL,
  new_members bigint NOT NULL,
  redemptions bigint NOT NULL,
  active bigint NOT NULL,
  visits bigint NOT NULL,
  sales bigint NOT NULL,
  voided bigint NOT NULL,
  returned bigint NOT NULL,
  plan_joins bigint NOT NULL,
  plan_fees bigint NOT NULL,
  PRIMARY KEY (day, store_id)
);

-- Applied redemptions per day, store and reward.
CREATE TABLE dashboard_rollup_rewards (
  day date NOT NULL,
  store_id text NOT NULL,
  reward_id text,
  redemptions bigint NOT NULL,
  quantity bigint NOT NULL,
  points bigint NOT NULL
);
CREATE INDEX dashboard_rollup_rewards_day ON dashboard_rollup_rewards (day, store_id);

-- Members active per day across every store (a member at two stores on a day counts once).
CREATE TABLE dashboard_rollup_active (
  day date PRIMARY KEY,
  active bigint NOT NULL
);

-- Who was active on which day at which store (distinct members do not add up across days).
CREATE TABLE dashboard_member_days (
  day date NOT NULL,
  store_id text NOT NULL,
  member_id text NOT NULL,
  PRIMARY KEY (day, store_id, member_id)
);
CREATE INDEX dashboard_member_days_member ON dashboard_member_days (member_id, day);

-- The same per member, store ('' for every store) and year, as a bit per day of the year (bit n: the
-- n-th day after 1 January) with the first and last of those days: the members active in a range are the
-- rows whose bits meet the range's (a row with all its days inside the range needs no bit test), one row
-- per member and store a year instead of one per active day.
CREATE TABLE dashboard_member_years (
  year integer NOT NULL,
  store_id text NOT NULL,
  member_id text NOT NULL,
  days bit(366) NOT NULL,
  first_day date NOT NULL,
  last_day date NOT NULL,
  PRIMARY KEY (year, member_id, store_id)
);

-- The refresh finds the events written or renumbered since the watermark.
CREATE INDEX events_change_seq ON events (change_seq);
