-- Store-LAN keys (issue 16). A terminal may send the Ed25519 public key it made at enrollment; HQ keeps it
-- on the terminal's row with the credential it signed over it (src-shared/lan/credential.ts), so the store's
-- peer list (GET /v1/store/peers) hands out stored credentials without signing again. A key speaks for one
-- terminal only: two rows with one key would let one till sign events as another. A revoked terminal's key
-- is revoked (the peer list names it). HQ's signing key is a settings row (`terminal_signing_key`), made by
-- HQ's code right after the migrations (src-hq/store/signing-key.ts), like the phone key.
-- The LAN addresses a terminal last reported (PUT /v1/terminals/me/lan): a JSON array of host:port texts.

ALTER TABLE terminals ADD COLUMN public_key text CHECK (public_key IS NULL OR public_key ~ '^[0-9a-f]{64}$');
ALTER TABLE terminals ADD COLUMN credential jsonb;
ALTER TABLE terminals ADD COLUMN lan_addresses jsonb;
ALTER TABLE terminals ADD COLUMN lan_reported_at timestamptz;
ALTER TABLE terminals ADD CONSTRAINT terminals_key_with_credential
  CHECK ((public_key IS NULL) = (credential IS NULL));
CREATE UNIQUE INDEX terminals_public_key ON terminals (public_key) WHERE public_key IS NOT NULL;
