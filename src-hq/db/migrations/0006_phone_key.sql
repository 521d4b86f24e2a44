-- HQ's settings, one text value a name. The first is the chain's phone key (`phone_key`: 32 random bytes in
-- hex, src-hq/store/phone-key.ts), which turns a phone number into the keyed, slow lookup key members and
-- events carry (src-shared/ledger/phone.ts). It is made by HQ's code right after the migrations (SQL has no
-- portable CSPRNG in PGlite), which then re-derives the members' phone_hash from their stored profiles once
-- (`phone_lookup` records that it is done; `phone_lookup_after` is its progress, so a cut run resumes).

CREATE TABLE settings (
  name text PRIMARY KEY,
  value text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
