-- The console's member administration (src-hq/store/member-admin): lost cards blocked and replaced, members
-- merged into a survivor, members erased (GDPR). Balances never change here but through events, so the
-- columns below only say what became of a card or a member.

-- A blocked card stays in `cards`, still naming its member, so no one else can link it (ingest sees it as
-- that member's: an enrollment or update with it is flagged `card-conflict`) and a lookup by it finds no one
-- (findMembers leaves blocked cards out). It is gone from the member's document (an HQ member-updated event
-- removed it), hence from every terminal's replica.
ALTER TABLE cards
  ADD COLUMN blocked_at timestamptz,
  ADD COLUMN blocked_reason text,
  ADD COLUMN replaced_by text;

-- A merged member points at the member it was merged into; an erased member has its erasure's time. Both
-- are kept at HQ (their events and points stay in the ledger and the reports) and are tombstones for the
-- terminals (src-hq/store/pull.ts).
ALTER TABLE members
  ADD COLUMN merged_into text REFERENCES members (id),
  ADD COLUMN erased_at timestamptz;
CREATE INDEX members_merged_into ON members (merged_into) WHERE merged_into IS NOT NULL;

-- The console's search by e-mail and by name (case-insensitive prefix).
CREATE INDEX member_profiles_email ON member_profiles (lower(email) text_pattern_ops);
CREATE INDEX member_profiles_last_name ON member_profiles (lower(last_name) text_pattern_ops);
CREATE INDEX member_profiles_first_name ON member_profiles (lower(first_name) text_pattern_ops);

-- A store manager sees the members enrolled at their stores: the enrollment event's store.
CREATE INDEX events_enrollment_store ON events (member_id, store_id) WHERE type = 'member-enrolled';
