-- Change numbers from one sequence instead of a counter row per collection (src-hq/store/changes.ts): the
-- counter row stayed locked from the moment a writer took its numbers until it committed, so every ingest
-- batch queued behind the one before it. A sequence hands out numbers without a lock; they no longer commit
-- in order, so pulls and the dashboard's rollup read only up to a visibility horizon
-- (src-hq/store/change-horizon.ts) below which every number is final.
--
-- One sequence for every collection: a checkpoint is still a plain number per collection (the wire format is
-- unchanged). It starts above every number handed out so far, so every terminal's checkpoint stays valid, and
-- stops at 2^53 - 1 (a wire checkpoint is a JavaScript-safe integer). CACHE 1 (the default) matters: the
-- horizon reads last_value as "every number up to here has been handed out".
CREATE SEQUENCE change_seq AS bigint MINVALUE 1 MAXVALUE 9007199254740991 CACHE 1 NO CYCLE;

SELECT setval('change_seq', 1 + greatest(
  (SELECT coalesce(max(seq), 0) FROM change_counters),
  (SELECT coalesce(max(change_seq), 0) FROM members),
  (SELECT coalesce(max(change_seq), 0) FROM products),
  (SELECT coalesce(max(change_seq), 0) FROM programs),
  (SELECT coalesce(max(change_seq), 0) FROM cashiers),
  (SELECT coalesce(max(change_seq), 0) FROM events)), false);

DROP TABLE change_counters;
