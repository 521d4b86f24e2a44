// Where the counter is (which screen, for which member). Screens move between each other through `go`; a
// confirmation ("Sale recorded: 12 points") travels with the move and shows in the counter's one message
// slot (use-transient-notice.ts) over the screen the cashier lands on.
import { createContext, useContext, type ReactNode } from 'react';
import type { ShownMember } from '../services/index.js';
import type { SignedIn } from './use-session.js';
import type { SaleLine } from './basket.js';

export type Route =
  /** enrollCard: a card nobody holds here; earnOnCard: HQ could not be asked about it (card-earn.ts). */
  | { name: 'idle'; enrollCard?: string; earnOnCard?: boolean }
  | { name: 'member'; memberId: string; shown?: ShownMember }
  | { name: 'sale'; memberId: string; firstLine?: SaleLine }
  | { name: 'redeem'; memberId: string }
  | { name: 'plans'; memberId: string }
  | { name: 'enroll'; card?: string }
  | { name: 'manager'; memberId: string | null; manager: SignedIn };

/** The message a move carries to the screen it lands on. */
export interface Flash {
  kind: 'success' | 'error';
  text: string;
}

export interface Counter {
  route: Route;
  go: (route: Route, flash?: Flash) => void;
  /** Opens the manager approval; on approval, the manager screen (for the member shown, if any). */
  askManager: (memberId: string | null) => void;
}

const CounterContext = createContext<Counter | null>(null);

export function CounterProvider(props: { value: Counter; children: ReactNode }) {
  return <CounterContext value={props.value}>{props.children}</CounterContext>;
}

export function useCounter(): Counter {
  const value = useContext(CounterContext);
  if (!value) throw new Error('useCounter() outside <CounterProvider>');
  return value;
}
