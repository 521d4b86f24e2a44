// A store's locale: the language the counter speaks and the conventions for its money, numbers and dates
// ("en-IE": €5.00, 1,240; "fr-FR": 5,00 €, 1 240). A BCP 47 tag of a language the counter has been
// translated into and a region; set per store at HQ (store settings) and followed by the store's tills.
import { z } from 'zod';

/** The languages the counter is translated into, every one complete (a missing key fails to compile). */
export const LANGUAGES = ['en', 'fr'] as const;
export type Language = (typeof LANGUAGES)[number];

/** What a store speaks until HQ says otherwise. */
export const DEFAULT_LOCALE = 'en-IE';

const isLanguage = (value: string): value is Language => (LANGUAGES as readonly string[]).includes(value);

export const localeSchema = z
  .string()
  .regex(/^[a-z]{2}-[A-Z]{2}$/, 'a locale such as en-IE or fr-FR')
  .refine((locale) => isLanguage(locale.slice(0, 2)), {
    message: `a language the counter speaks: ${LANGUAGES.join(', ')}`,
  });

/** The language of a locale ("fr-BE" → "fr"); English for anything the counter does not speak. */
export function languageOf(locale: string): Language {
  const language = locale.slice(0, 2);
  return isLanguage(language) ? language : 'en';
}
