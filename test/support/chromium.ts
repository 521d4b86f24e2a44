// Real-browser tests drive Debian's Chromium through playwright-core (never a downloaded browser).
// A missing Chromium fails the test with the command that installs it; it never skips.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { QUIET_CHROMIUM_FLAGS } from '../../scripts/chromium-flags.js';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_HINT = `Chromium not found at ${CHROMIUM_PATH}. Install it with \`apt-get install chromium\` (./loyalty test does), or set CHROMIUM_PATH.`;

/** Flags that keep Chromium quiet on a machine without network or GPU (and runnable as root). */
export const CHROMIUM_FLAGS = ['--no-sandbox', ...QUIET_CHROMIUM_FLAGS];

export async function launchChromium(
  options: { headless?: boolean; args?: string[] } = {},
): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(CHROMIUM_HINT);
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: options.headless ?? true,
    args: [...CHROMIUM_FLAGS, ...(options.args ?? [])],
  });
}
