// The browser the end-to-end tests and browser benchmarks rely on is really there and scriptable.
import { describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.js';

describe('Debian Chromium through playwright-core', () => {
  it('runs a page with IndexedDB', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.setContent('<p>ok</p>');
      const hasIndexedDb = await page.evaluate(() => typeof indexedDB.open === 'function');
      expect(hasIndexedDb).toBe(true);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
