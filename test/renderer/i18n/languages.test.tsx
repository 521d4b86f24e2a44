// The counter's languages: French has every English key with the same {{values}}, the words of the
// translated screens and helpers come out in the store's language, plurals follow the language's rules,
// and nothing asked for is missing (missingKeys stays empty).
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it } from 'vitest';
import { deviceTexts, modeLabel, printerText } from '../../../src-renderer/components/status-bar.js';
import { en } from '../../../src-renderer/i18n/en.js';
import { fr } from '../../../src-renderer/i18n/fr.js';
import { i18n, missingKeys, speakLocale } from '../../../src-renderer/i18n/index.js';
import {
  NoHostScreen,
  OpeningScreen,
  StartupErrorScreen,
} from '../../../src-renderer/screens/boot-screen.js';
import type { DeviceStatus } from '../../../src-shared/ipc/index.js';
import { textOf } from '../../support/render-text.js';
import { keyedLine } from '../../../src-renderer/hooks/basket.js';

/** Every leaf of a messages object as [key path, text]. */
function leaves(messages: object, prefix = ''): [string, string][] {
  return Object.entries(messages).flatMap(([key, value]): [string, string][] =>
    typeof value === 'string' ? [[`${prefix}${key}`, value]] : leaves(value as object, `${prefix}${key}.`),
  );
}
const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
const text = textOf;

const device = (over: Partial<DeviceStatus>): DeviceStatus => ({
  deviceId: 'printer',
  role: 'printer',
  path: '/dev/ttyUSB0',
  state: 'connected',
  lastFrameAt: null,
  frames: 0,
  rejected: 0,
  errors: 0,
  lastError: null,
  ...over,
});

afterEach(async () => {
  await speakLocale('en-IE');
});

describe('the counter in French', () => {
  it('has every English key, each with the same {{values}}, and says something of its own', () => {
    const english = new Map(leaves(en));
    const french = new Map(leaves(fr));
    // French plurals have a third form ("many") English lacks: the same keys otherwise.
    const frenchKeys = [...french.keys()].filter((k) => !k.endsWith('_many'));
    expect(frenchKeys.sort()).toEqual([...english.keys()].sort());
    for (const key of french.keys())
      if (key.endsWith('_many')) expect(english.has(key.replace(/_many$/, '_other')), key).toBe(true);
    for (const [key, words] of french) {
      expect(words.trim(), key).not.toBe('');
      const reference = english.get(key.replace(/_many$/, '_other')) ?? '';
      expect(placeholders(words), key).toEqual(placeholders(reference));
    }
    // Not English copied over: most texts differ (a few, like "Scanner", are the same word).
    const same = [...french].filter(([key, words]) => english.get(key) === words).map(([key]) => key);
    expect(same.length).toBeLessThan(french.size / 10);
  });

  it("speaks the store's locale: French for fr-FR and fr-BE, English for one it does not speak", async () => {
    await speakLocale('fr-BE');
    expect(i18n.language).toBe('fr');
    expect(modeLabel('expired')).toBe('Gain seulement');
    await speakLocale('de-DE');
    expect(i18n.language).toBe('en');
    expect(modeLabel('expired')).toBe('Earn only');
  });

  it('words the status bar and the boot screens in French', async () => {
    await speakLocale('fr-FR');
    expect(printerText(device({ state: 'error', lastError: 'Out of paper: load a new roll.' })).text).toBe(
      'Imprimante : plus de papier',
    );
    expect(
      deviceTexts([device({ role: 'barcode', deviceId: 'scanner' }), device({})]).map((d) => d.text),
    ).toEqual(['Scanner connecté', 'Imprimante prête']);
    const shown = [
      renderToStaticMarkup(<OpeningScreen />),
      renderToStaticMarkup(<StartupErrorScreen message="IndexedDB refused" onRetry={() => undefined} />),
      renderToStaticMarkup(<NoHostScreen />),
    ].map(text);
    expect(shown[0]).toContain('Ouverture du terminal…');
    expect(shown[1]).toContain("Le terminal n'a pas pu démarrer");
    expect(shown[1]).toContain('Réessayer');
    expect(shown[2]).toContain("Cette page fonctionne dans l'application du terminal.");
    for (const screen of shown) expect(screen).not.toMatch(/\b(the|terminal could|Try again|Opening)\b/);
  });

  it("counts with the language's plural rules (French: 0 and 1 are singular)", async () => {
    expect(i18n.t('devices.slipsPrinted', { count: 0 })).toBe('0 slips printed');
    expect(i18n.t('devices.slipsPrinted', { count: 1 })).toBe('1 slip printed');
    await speakLocale('fr-FR');
    expect(i18n.t('devices.slipsPrinted', { count: 0 })).toBe('0 ticket imprimé');
    expect(i18n.t('devices.slipsPrinted', { count: 1 })).toBe('1 ticket imprimé');
    expect(i18n.t('devices.slipsPrinted', { count: 2 })).toBe('2 tickets imprimés');
    expect(i18n.t('syncQueue.waiting', { count: 1_000_000 })).toBe('1000000 événements attendent le siège.');
  });

  it("names a keyed amount's basket line in the store's language", async () => {
    expect(keyedLine(500, 'retail', 1, 'Retail').name).toBe('Keyed amount (Retail)');
    await speakLocale('fr-FR');
    expect(keyedLine(500, 'retail', 1, 'Retail').name).toBe('Montant saisi (Retail)');
  });

  it('records a key asked for and missing, so no test run hides one', () => {
    const before = missingKeys().length;
    // A key outside the set (the renderer's own code cannot compile one: keys are typed there).
    const shown = i18n.t('status.nope');
    expect(shown).toBe('status.nope');
    expect(missingKeys()).toContain('en:status.nope');
    expect(missingKeys().length).toBe(before + 1);
  });
});
