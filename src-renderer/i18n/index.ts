// The counter's languages (i18next with react-i18next): one instance for the renderer, English until the
// store's locale says otherwise (store settings from HQ, src-shared/kernel/locale.ts). Resources are
// bundled (no loading over the network: the kiosk's CSP allows none, and a till must speak offline); a key
// missing from a language fails to compile (fr.ts is typed as en.ts's shape), and a key missing at run time
// is recorded (missingKeys) so the tests can fail on it instead of showing a raw key to a cashier.
import { createInstance, type i18n as I18n } from 'i18next';
import { initReactI18next, useTranslation } from 'react-i18next';
import { DEFAULT_LOCALE, languageOf, type Language } from '../../src-shared/kernel/locale.js';
import { en } from './en.js';
import { fr } from './fr.js';

export const resources = { en: { translation: en }, fr: { translation: fr } } as const;

const missing = new Set<string>();

/** The renderer's one instance, initialised synchronously (resources are bundled) in English. */
export const i18n: I18n = createInstance();
void i18n.use(initReactI18next).init({
  resources,
  lng: languageOf(DEFAULT_LOCALE),
  fallbackLng: false,
  initAsync: false,
  // React escapes what it renders; escaping here too would show "&amp;" to the cashier.
  interpolation: { escapeValue: false },
  returnNull: false,
  saveMissing: true,
  missingKeyHandler: (languages, _namespace, key) => {
    for (const language of languages) missing.add(`${language}:${key}`);
    // In the page's console too, where the end-to-end tests listen for it.
    console.warn(`missing translation: ${languages.join(',')}:${key}`);
  },
});

/** Keys asked for and missing since the start (`fr:status.online`): none, or a test fails. */
export const missingKeys = (): string[] => [...missing].sort();

let storeLocale: string = DEFAULT_LOCALE;

/**
 * The store's full locale ("fr-BE"), for money, numbers and dates (hooks/format.ts): the language alone
 * does not say whether a euro is written "€5.00" or "5,00 €".
 */
export const currentLocale = (): string => storeLocale;

/** Speaks the store's locale from now on (a locale the counter does not speak: English). */
export function speakLocale(locale: string): Promise<unknown> {
  const language: Language = languageOf(locale);
  if (i18n.language === language && storeLocale === locale) return Promise.resolve();
  storeLocale = locale;
  // Changing to the same language still tells every t() user to render again: en-IE to en-GB keeps the
  // words but not the formats.
  return i18n.changeLanguage(language);
}

/** t() of the counter's words, for components (re-renders when the language changes). */
export const useCounterText = () => useTranslation().t;
// Outside React (pure helpers that return words), i18n.t reads the current language at each call.
