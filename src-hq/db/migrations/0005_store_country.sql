-- Each store has a country (ISO 3166-1 alpha-2): a phone number typed without its international prefix is
-- read by that country's numbering plan (src-shared/ledger/phone.ts). The stores so far all belong to the
-- Irish demo chain, so they, and a store created without a country, are in Ireland.

ALTER TABLE stores ADD COLUMN country text NOT NULL DEFAULT 'IE' CHECK (country ~ '^[A-Z]{2}$');
