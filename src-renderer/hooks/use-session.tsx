// Who is signed in at the counter. Events name the cashier (`cashierId`), so nothing is recorded without
// one. PINs are checked in main (TerminalApi.checkPin); the renderer never holds a PIN hash. Who is signed
// in survives a page reload, not a window close (counter-memory.ts).
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { readCashier, sessionMemory, writeCashier } from './counter-memory.js';
import type { Staff } from './use-cashiers.js';

export type SignedIn = Pick<Staff, 'id' | 'name' | 'role'>;

export interface Session {
  cashier: SignedIn | null;
  signIn: (cashier: SignedIn) => void;
  signOut: () => void;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider(props: { children: ReactNode }) {
  const [cashier, setCashier] = useState<SignedIn | null>(() => readCashier(sessionMemory()));
  useEffect(() => writeCashier(sessionMemory(), cashier), [cashier]);
  const signIn = useCallback((c: SignedIn) => setCashier({ id: c.id, name: c.name, role: c.role }), []);
  const signOut = useCallback(() => setCashier(null), []);
  const value = useMemo(() => ({ cashier, signIn, signOut }), [cashier, signIn, signOut]);
  return <SessionContext value={value}>{props.children}</SessionContext>;
}

export function useSession(): Session {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession() outside <SessionProvider>');
  return value;
}
