// Screenshots of the user-facing screens, for the README: each at the till's size (1024×768) and at full HD,
// written to test-results/screenshots/<width>/ and, with UPDATE_DOCS_SCREENSHOTS=1, copied to
// docs/screenshots/<width>/. Taken once nothing moves (no caret, no animation); the page is left at the
// till's size.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';

const ROOT = resolve(import.meta.dirname, '../..');
const ARTIFACTS = join(ROOT, 'test-results', 'screenshots');
const DOCS = join(ROOT, 'docs', 'screenshots');
/** The till's size, where the walks run and axe looks. */
export const TILL = { width: 1024, height: 768 } as const;
/** The sizes of every screenshot: the till, and a full-HD counter screen. */
export const SHOT_SIZES = [TILL, { width: 1920, height: 1080 }] as const;

/** Photographs `page` at every size as `<name>.png`. */
export async function photograph(page: Page, name: string): Promise<void> {
  for (const size of SHOT_SIZES) {
    await page.setViewportSize(size);
    // A frame for the layout to follow the new size.
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => done(null))));
    const dir = join(ARTIFACTS, String(size.width));
    mkdirSync(dir, { recursive: true });
    const path = join(dir, `${name}.png`);
    await page.screenshot({ path, animations: 'disabled', caret: 'hide' });
    if (process.env.UPDATE_DOCS_SCREENSHOTS === '1') {
      const docs = join(DOCS, String(size.width));
      mkdirSync(docs, { recursive: true });
      copyFileSync(path, join(docs, `${name}.png`));
    }
  }
  await page.setViewportSize(TILL);
}
