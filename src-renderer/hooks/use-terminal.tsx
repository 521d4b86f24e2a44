// The terminal the whole UI works with, opened once per page: a module-level promise, so React
// StrictMode's double effects (and any remount) get the same terminal instead of opening the databases
// twice. The kiosk keeps it for the life of the window.
import { createContext, useContext, type ReactNode } from 'react';
import type { TerminalApi } from '../../src-shared/ipc/index.js';
import { DEFAULT_STORE_SETTINGS } from '../../src-shared/sync/wire.js';
import { openTerminal, type Terminal } from '../startup/index.js';

/**
 * The country (ISO 3166-1 alpha-2) for phone numbers typed without their international prefix when the
 * host knows no store country yet (a terminal not enrolled, or enrolled before HQ sent it): the chain's,
 * which is also what HQ gives a store created without one. Otherwise the store's, from the enrollment.
 */
export const PHONE_COUNTRY = 'IE';

let opening: Promise<Terminal> | null = null;

/** Opens the terminal, or returns the one this page already opened (or is opening). */
export function bootTerminal(api: TerminalApi): Promise<Terminal> {
  if (!opening) {
    const attempt = api.hqStatus().then((status) =>
      openTerminal({
        api,
        phoneCountryCode: status.country ?? PHONE_COUNTRY,
        // The store's close time from HQ (main keeps the last known), the default until it has one.
        nightlyCloseAt: status.storeSettings?.closeAt ?? DEFAULT_STORE_SETTINGS.closeAt,
      }),
    );
    opening = attempt;
    // A failed open may be retried (the Try again button): forget it.
    attempt.catch(() => {
      if (opening === attempt) opening = null;
    });
  }
  return opening;
}

export interface TerminalContextValue {
  api: TerminalApi;
  terminal: Terminal;
}

const TerminalContext = createContext<TerminalContextValue | null>(null);

export function TerminalProvider(props: { api: TerminalApi; terminal: Terminal; children: ReactNode }) {
  return (
    <TerminalContext value={{ api: props.api, terminal: props.terminal }}>{props.children}</TerminalContext>
  );
}

/** The host API and the opened terminal; only below <TerminalProvider>. */
export function useTerminal(): TerminalContextValue {
  const value = useContext(TerminalContext);
  if (!value) throw new Error('useTerminal() outside <TerminalProvider>');
  return value;
}
