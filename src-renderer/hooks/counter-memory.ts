// What the counter remembers across a page reload, and only that: the signed-in cashier (id, name and role;
// never a PIN), the screen it is on (for which member) and the basket of the sale under way. A reload in
// the middle of a sale (a stuck page, the browser host restarted) keeps the sale; closing the window or
// restarting the app forgets it all, as a till switched off should. Hence sessionStorage: it belongs to the
// window and dies with it. Each entry is written on change and checked with zod on read: a damaged or
// unexpected entry is dropped, never trusted and never a crash (docs/decisions.md, "Reload keeps the sale").
//
// The PIN stays with main: nothing here signs anyone in who has not passed checkPin in this window.
import { z } from 'zod';
import type { SaleLine } from './basket.js';
import type { Route } from './use-counter.js';
import type { SignedIn } from './use-session.js';

/** The part of the Web Storage API used here (sessionStorage in the page; a Map in tests). */
export interface MemoryStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export const MEMORY_KEYS = {
  session: 'loyalty.counter.session',
  route: 'loyalty.counter.route',
  basket: 'loyalty.counter.basket',
} as const;

const id = z.string().min(1).max(128);

const signedInSchema = z
  .object({ id, name: z.string().min(1).max(200), role: z.enum(['cashier', 'manager']) })
  .strict();

/** The screens worth coming back to after a reload; the others go back to the idle screen. */
const rememberedRouteSchema = z.discriminatedUnion('name', [
  z.object({ name: z.literal('idle') }).strict(),
  z.object({ name: z.literal('member'), memberId: id }).strict(),
  z.object({ name: z.literal('sale'), memberId: id }).strict(),
  z.object({ name: z.literal('redeem'), memberId: id }).strict(),
  z.object({ name: z.literal('plans'), memberId: id }).strict(),
]);
type RememberedRoute = z.infer<typeof rememberedRouteSchema>;

const routeEntrySchema = z.object({ cashierId: id, route: rememberedRouteSchema }).strict();

const saleLineSchema = z
  .object({
    key: z.string().min(1).max(200),
    sku: z.string().min(1).max(64),
    gtin: z.string().max(14).optional(),
    name: z.string().max(300),
    category: z.string().min(1).max(120),
    quantity: z.number().int().min(1).max(100_000),
    unitPrice: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    keyed: z.boolean(),
  })
  .strict();
const basketEntrySchema = z.object({ memberId: id, lines: z.array(saleLineSchema).max(1_000) }).strict();

/** The window's sessionStorage, or null where there is none (or it refuses access). */
export function sessionMemory(): MemoryStore | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    return null;
  }
}

/** Reads an entry through its schema; a missing entry is null, a damaged one is removed and null. */
function read<T>(store: MemoryStore | null, key: string, schema: z.ZodType<T>): T | null {
  if (!store) return null;
  let text: string | null;
  try {
    text = store.getItem(key);
  } catch {
    return null;
  }
  if (text === null) return null;
  let parsed: { success: true; data: T } | { success: false } = { success: false };
  try {
    parsed = schema.safeParse(JSON.parse(text));
  } catch {
    // not JSON: damaged
  }
  if (parsed.success) return parsed.data;
  forget(store, key);
  return null;
}

function write(store: MemoryStore | null, key: string, value: unknown): void {
  try {
    store?.setItem(key, JSON.stringify(value));
  } catch {
    // Storage full or refused: the counter works on; only a reload would lose more.
  }
}

function forget(store: MemoryStore | null, key: string): void {
  try {
    store?.removeItem(key);
  } catch {
    // as above
  }
}

export function readCashier(store: MemoryStore | null): SignedIn | null {
  return read(store, MEMORY_KEYS.session, signedInSchema);
}

/** Remembers who is signed in (null: nobody; the screen and basket go with them). */
export function writeCashier(store: MemoryStore | null, cashier: SignedIn | null): void {
  if (cashier) {
    write(store, MEMORY_KEYS.session, { id: cashier.id, name: cashier.name, role: cashier.role });
    return;
  }
  forget(store, MEMORY_KEYS.session);
  forget(store, MEMORY_KEYS.route);
  forget(store, MEMORY_KEYS.basket);
}

/** Where the counter was for this cashier, as far as it is worth coming back to; idle otherwise. */
export function readRoute(store: MemoryStore | null, cashierId: string): RememberedRoute {
  const entry = read(store, MEMORY_KEYS.route, routeEntrySchema);
  return entry && entry.cashierId === cashierId ? entry.route : { name: 'idle' };
}

/**
 * Remembers the screen. A manager screen comes back as its member's screen (or idle): the manager's PIN
 * was for that visit, not for whoever reloads. An enrollment form comes back empty, as the idle screen.
 */
export function writeRoute(store: MemoryStore | null, cashierId: string, route: Route): void {
  write(store, MEMORY_KEYS.route, { cashierId, route: rememberable(route) });
}

function rememberable(route: Route): RememberedRoute {
  switch (route.name) {
    case 'member':
    case 'sale':
    case 'redeem':
    case 'plans':
      return { name: route.name, memberId: route.memberId };
    case 'manager':
      return route.memberId ? { name: 'member', memberId: route.memberId } : { name: 'idle' };
    case 'idle':
    case 'enroll':
      return { name: 'idle' };
  }
}

/** The basket of the sale under way for this member (empty when there is none). */
export function readBasket(store: MemoryStore | null, memberId: string): SaleLine[] {
  const entry = read(store, MEMORY_KEYS.basket, basketEntrySchema);
  if (!entry || entry.memberId !== memberId) return [];
  return entry.lines.map((line) => {
    const { gtin, ...rest } = line;
    return gtin === undefined ? rest : { ...rest, gtin };
  });
}

export function writeBasket(store: MemoryStore | null, memberId: string, lines: readonly SaleLine[]): void {
  write(store, MEMORY_KEYS.basket, { memberId, lines });
}

/** The sale ended (recorded, cancelled, the counter went idle): nothing to come back to. */
export function forgetBasket(store: MemoryStore | null): void {
  forget(store, MEMORY_KEYS.basket);
}

/** The highest number a keyed line's key (`keyed:<n>`) uses in `lines` (0: none): the next takes one more. */
export function nextKeyedSeq(lines: readonly SaleLine[]): number {
  let max = 0;
  for (const line of lines) {
    const n = /^keyed:(\d+)$/.exec(line.key)?.[1];
    if (n !== undefined) max = Math.max(max, Number(n));
  }
  return max;
}
