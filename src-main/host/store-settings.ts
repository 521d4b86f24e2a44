// The store's counter settings (idle timeouts, the nightly close time: src-shared/sync/wire.ts
// storeSettingsSchema), fetched from HQ by main (GET /v1/store-settings) on start and on every stream
// RESYNC, kept in memory and in a file in the terminal's data folder so a till that starts offline uses its
// store's settings, not the defaults. The renderer reads them with hqStatus (`storeSettings`).
//
// HQ announces no change of a store's row on the stream (stores are not a replicated collection): a change
// reaches a till at its next stream (re)connection (docs/decisions.md, "Store settings from HQ").
import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import type { HqResult } from '../../src-shared/ipc/hq-api.js';
import { storeSettingsSchema, type StoreSettings } from '../../src-shared/sync/wire.js';
import { writeFileAtomically } from '../hq/credential-store.js';
import { HqFollower, type HqStreamSource } from './hq-follower.js';

/** The file in dataDir with the store's last known settings. */
export const STORE_SETTINGS_FILE = 'store-settings.json';

export interface StoreSettingsFollowerOptions {
  link: {
    storeSettings(): Promise<HqResult<StoreSettings>>;
    onHqStream: HqStreamSource['onHqStream'];
    hqStatus(): Promise<{ enrolled: boolean }>;
  };
  file: string;
  logger: Logger;
}

export class StoreSettingsFollower {
  private settings: StoreSettings | null = null;
  private readonly follower: HqFollower;

  constructor(private readonly options: StoreSettingsFollowerOptions) {
    this.follower = new HqFollower(options.link, null, () => this.fetchOnce());
    this.settings = readSaved(options.file, options.logger);
  }

  /** The last settings HQ sent (or saved from an earlier run); null until HQ has answered once. */
  current(): StoreSettings | null {
    return this.settings;
  }

  /** Follows HQ's stream and refreshes once now; idempotent. */
  start(): void {
    this.follower.start();
  }

  stop(): Promise<void> {
    return this.follower.stop();
  }

  /** Fetches now; never rejects (HQ out of reach leaves the last known settings in place). */
  refresh(): Promise<void> {
    return this.follower.refresh();
  }

  private async fetchOnce(): Promise<void> {
    const { link, logger, file } = this.options;
    const status = await link.hqStatus().catch(() => null);
    if (!status?.enrolled) return;
    const answer = await link.storeSettings().catch(() => null);
    if (!answer?.ok) {
      if (answer) logger.debug({ code: answer.error.code }, 'store settings not fetched');
      return;
    }
    if (JSON.stringify(answer.value) === JSON.stringify(this.settings)) return;
    this.settings = answer.value;
    logger.info({ settings: answer.value }, 'store settings updated');
    try {
      await writeFileAtomically(file, `${JSON.stringify({ settings: answer.value })}\n`);
    } catch (error) {
      logger.warn({ error: (error as Error).message }, 'store settings not saved');
    }
  }
}

/** The saved settings; null (with a warning when damaged) when there are none to use. */
function readSaved(file: string, logger: Logger): StoreSettings | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      logger.warn({ file }, 'unreadable store settings file: defaults until HQ answers');
    return null;
  }
  try {
    const parsed = storeSettingsSchema.safeParse((JSON.parse(text) as { settings?: unknown }).settings);
    if (parsed.success) return parsed.data;
  } catch {
    // fall through: damaged
  }
  logger.warn({ file }, 'unreadable store settings file: defaults until HQ answers');
  return null;
}
