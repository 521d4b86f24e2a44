// The store's counter settings as the renderer uses them, and the idle timeouts over them (idle-watch.ts):
// any key, touch or serial scan counts as someone at the counter.
import { useEffect, useRef, useState } from 'react';
import { systemClock } from '../../src-shared/kernel/clock.js';
import { systemTimers } from '../../src-shared/kernel/timers.js';
import { DEFAULT_STORE_SETTINGS, type StoreSettings } from '../../src-shared/sync/wire.js';
import { IdleWatch } from './idle-watch.js';
import { useTerminal } from './use-terminal.js';

/**
 * The store's settings main last fetched from HQ (hqStatus), read once when the counter opens; the defaults
 * until then, or when main has none yet (a till that never reached HQ since the settings existed).
 */
export function useStoreSettings(): StoreSettings {
  const { api } = useTerminal();
  const [settings, setSettings] = useState<StoreSettings>(DEFAULT_STORE_SETTINGS);
  useEffect(() => {
    let live = true;
    api.hqStatus().then(
      (status) => {
        if (live && status.storeSettings) setSettings(status.storeSettings);
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [api]);
  return settings;
}

export interface IdleTimeoutOptions {
  /** Watching at all: a cashier is signed in. */
  active: boolean;
  /** A screen other than the idle one is up. */
  screenInUse: boolean;
  settings: StoreSettings;
  onClearMember: () => void;
  onSignOut: () => void;
}

export function useIdleTimeouts(options: IdleTimeoutOptions): void {
  const { api } = useTerminal();
  const latest = useRef(options);
  latest.current = options;
  useEffect(() => {
    if (!options.active) return;
    const watch = new IdleWatch({
      clock: systemClock,
      timers: systemTimers,
      settings: () => latest.current.settings,
      screenInUse: () => latest.current.screenInUse,
      onClearMember: () => latest.current.onClearMember(),
      onSignOut: () => latest.current.onSignOut(),
    });
    const input = () => watch.input();
    window.addEventListener('keydown', input, { capture: true });
    window.addEventListener('pointerdown', input, { capture: true });
    const unsubscribe = api.onScan(input);
    watch.start();
    return () => {
      watch.stop();
      unsubscribe();
      window.removeEventListener('keydown', input, { capture: true });
      window.removeEventListener('pointerdown', input, { capture: true });
    };
  }, [api, options.active]);
}
