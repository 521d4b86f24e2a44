-- A store's counter settings (src-shared/sync/wire.ts storeSettingsSchema): how long a member's screen stays
-- up without input before the counter clears itself, how long a cashier stays signed in without input, and
-- the nightly close time in the store's local time. The defaults are what tills used before (the close at
-- 23:30 was fixed in the renderer) and what a till uses until HQ has answered.

ALTER TABLE stores
  ADD COLUMN member_idle_seconds integer NOT NULL DEFAULT 90
    CHECK (member_idle_seconds BETWEEN 15 AND 3600),
  ADD COLUMN sign_out_idle_minutes integer NOT NULL DEFAULT 15
    CHECK (sign_out_idle_minutes BETWEEN 1 AND 720),
  ADD COLUMN close_at text NOT NULL DEFAULT '23:30'
    CHECK (close_at ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$');
