-- A store's locale (src-shared/kernel/locale.ts): the language its tills speak and the conventions of its
-- money, numbers and dates. A language the counter is translated into (en, fr) and a region. Stores made
-- before this migration speak English with Irish conventions, as every till did until now.

ALTER TABLE stores
  ADD COLUMN locale text NOT NULL DEFAULT 'en-IE'
    CHECK (locale ~ '^(en|fr)-[A-Z]{2}$');
