import { describe, expect, it } from 'vitest';
import { keyedLine } from '../../../src-renderer/hooks/basket.js';
import {
  forgetBasket,
  MEMORY_KEYS,
  nextKeyedSeq,
  readBasket,
  readCashier,
  readRoute,
  writeBasket,
  writeCashier,
  writeRoute,
  type MemoryStore,
} from '../../../src-renderer/hooks/counter-memory.js';
import type { SaleLine } from '../../../src-renderer/hooks/basket.js';

class MapStore implements MemoryStore {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

const ana = { id: 'c-1', name: 'Ana', role: 'cashier' as const };
const milk: SaleLine = {
  key: 'sku:MILK',
  sku: 'MILK',
  gtin: '5391234567892',
  name: 'Milk 1L',
  category: 'dairy',
  quantity: 2,
  unitPrice: 129,
  keyed: false,
};

describe('what the counter remembers across a reload', () => {
  it('keeps the cashier (id, name, role only), the screen and the basket', () => {
    const store = new MapStore();
    writeCashier(store, { ...ana, pin: '1234' } as typeof ana);
    writeRoute(store, ana.id, { name: 'sale', memberId: 'm-1', firstLine: milk });
    const keyed = keyedLine(500, 'bakery', 3);
    writeBasket(store, 'm-1', [milk, keyed]);

    expect(readCashier(store)).toEqual(ana);
    expect(store.getItem(MEMORY_KEYS.session)).not.toContain('1234');
    expect(readRoute(store, ana.id)).toEqual({ name: 'sale', memberId: 'm-1' });
    expect(readBasket(store, 'm-1')).toEqual([milk, keyed]);
    expect(nextKeyedSeq(readBasket(store, 'm-1'))).toBe(3);
  });

  it('gives another cashier the idle screen, another member an empty basket', () => {
    const store = new MapStore();
    writeRoute(store, ana.id, { name: 'member', memberId: 'm-1' });
    writeBasket(store, 'm-1', [milk]);
    expect(readRoute(store, 'c-2')).toEqual({ name: 'idle' });
    expect(readBasket(store, 'm-2')).toEqual([]);
  });

  it('never brings back a manager screen or an enrollment form', () => {
    const store = new MapStore();
    writeRoute(store, ana.id, { name: 'manager', memberId: 'm-1', manager: { ...ana, role: 'manager' } });
    expect(readRoute(store, ana.id)).toEqual({ name: 'member', memberId: 'm-1' });
    writeRoute(store, ana.id, { name: 'manager', memberId: null, manager: { ...ana, role: 'manager' } });
    expect(readRoute(store, ana.id)).toEqual({ name: 'idle' });
    writeRoute(store, ana.id, { name: 'enroll', card: '123' });
    expect(readRoute(store, ana.id)).toEqual({ name: 'idle' });
  });

  it('signing out forgets the screen and the basket; a finished sale forgets its basket', () => {
    const store = new MapStore();
    writeCashier(store, ana);
    writeRoute(store, ana.id, { name: 'sale', memberId: 'm-1' });
    writeBasket(store, 'm-1', [milk]);
    forgetBasket(store);
    expect(readBasket(store, 'm-1')).toEqual([]);
    writeCashier(store, null);
    expect(store.items.size).toBe(0);
  });

  it.each([
    ['not JSON', '{"id":'],
    ['a PIN smuggled in', JSON.stringify({ ...ana, pin: '1234' })],
    ['an unknown role', JSON.stringify({ ...ana, role: 'owner' })],
    ['the wrong shape', '[1,2,3]'],
  ])('drops a damaged cashier entry (%s) without throwing', (_what, text) => {
    const store = new MapStore();
    store.setItem(MEMORY_KEYS.session, text);
    expect(readCashier(store)).toBeNull();
    expect(store.getItem(MEMORY_KEYS.session)).toBeNull();
  });

  it('drops a damaged basket or screen entry', () => {
    const store = new MapStore();
    store.setItem(
      MEMORY_KEYS.basket,
      JSON.stringify({ memberId: 'm-1', lines: [{ ...milk, quantity: -1 }] }),
    );
    store.setItem(MEMORY_KEYS.route, JSON.stringify({ cashierId: ana.id, route: { name: 'sale' } }));
    expect(readBasket(store, 'm-1')).toEqual([]);
    expect(readRoute(store, ana.id)).toEqual({ name: 'idle' });
    expect(store.items.size).toBe(0);
  });

  it('works on with no storage, or a storage that throws', () => {
    const throwing: MemoryStore = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => {
        throw new Error('SecurityError');
      },
    };
    for (const store of [null, throwing]) {
      writeCashier(store, ana);
      writeBasket(store, 'm-1', [milk]);
      expect(readCashier(store)).toBeNull();
      expect(readBasket(store, 'm-1')).toEqual([]);
      writeCashier(store, null);
    }
  });
});
