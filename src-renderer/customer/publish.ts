// The cashier's side of the customer-facing display: the counter publishes what the customer may see
// (view-of.ts) through TerminalApi.setCustomerView whenever it changes; main keeps the latest and pushes it
// to the customer window. The sale screen hands its basket and quote over (useCustomerSale); the member,
// the program and the last slip are read here. Nothing is published while nobody is signed in but the
// welcome, and the customer window never sees the cashier's screens: only this value crosses. The view
// carries the store's locale the counter speaks, so the customer page speaks it too.
import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import type { Route } from '../hooks/use-counter.js';
import { slipShownOn, useShownSlip } from '../hooks/use-slip.js';
import { useProgram } from '../hooks/use-program.js';
import { useTerminal } from '../hooks/use-terminal.js';
import { currentLocale } from '../i18n/index.js';
import type { ShownMember } from '../services/index.js';
import type { SaleLine } from '../hooks/basket.js';
import { customerViewOf, type CustomerSale } from './view-of.js';

// ---- the sale on screen, handed over by the sale screen -----------------------------------------------

let currentSale: CustomerSale | null = null;
const saleListeners = new Set<() => void>();
const setSale = (next: CustomerSale | null): void => {
  currentSale = next;
  for (const listener of saleListeners) listener();
};
const subscribeSale = (listener: () => void): (() => void) => {
  saleListeners.add(listener);
  return () => saleListeners.delete(listener);
};

/**
 * Shows the sale screen's basket and the points it earns on the customer display while the screen is up
 * (`points` null while the quote is being made).
 */
export function useCustomerSale(memberId: string, lines: readonly SaleLine[], points: number | null): void {
  useEffect(() => {
    setSale({ memberId, lines, points });
  }, [memberId, lines, points]);
  useEffect(() => () => setSale(null), []);
}

// ---- the publisher -------------------------------------------------------------------------------------

/** The member of the screens the customer may follow (their own: member, sale, redeem), or null. */
export function customerMemberId(route: Route): string | null {
  return route.name === 'member' || route.name === 'sale' || route.name === 'redeem' ? route.memberId : null;
}

/** The member as the services show them, re-read as they change; null for no member. */
function useWatchedMember(memberId: string | null): ShownMember | null {
  const { terminal } = useTerminal();
  const [shown, setShown] = useState<{ id: string; member: ShownMember | null } | null>(null);
  useEffect(() => {
    if (memberId === null) return;
    const subscription = terminal.services.member$(memberId).subscribe((read) => {
      if (read.ok) setShown({ id: memberId, member: read.value });
    });
    return () => subscription.unsubscribe();
  }, [terminal, memberId]);
  return shown && shown.id === memberId ? shown.member : null;
}

/**
 * Publishes the customer view for the counter's screen: called once, by the counter, with the route and
 * who is signed in (null: nobody, the welcome only). Sends only what changed; a failed send is tried
 * again with the next change.
 */
export function useCustomerViewPublisher(route: Route, cashierId: string | null): void {
  const { api } = useTerminal();
  const program = useProgram();
  const memberId = cashierId === null ? null : customerMemberId(route);
  const member = useWatchedMember(memberId);
  const sale = useSyncExternalStore(subscribeSale, () => currentSale);
  const slip = useShownSlip();
  // Renders again when the counter's language or locale changes (speakLocale), and the view follows it.
  useTranslation();
  const locale = currentLocale();

  const view = useMemo(
    () =>
      customerViewOf({
        locale,
        program,
        member: memberId === null ? null : member,
        sale: route.name === 'sale' && sale?.memberId === memberId ? sale : null,
        done: slip && slipShownOn(slip, route, cashierId) ? slip.summary : null,
      }),
    [locale, program, memberId, member, route, sale, slip, cashierId],
  );

  const sent = useRef<string | null>(null);
  useEffect(() => {
    const text = JSON.stringify(view);
    if (text === sent.current) return;
    sent.current = text;
    api.setCustomerView(view).catch(() => {
      // The host did not take it (the socket dropped): send it again with the next change.
      if (sent.current === text) sent.current = null;
    });
  }, [api, view]);
}
