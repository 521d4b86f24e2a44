// Product categories for keyed amounts: the distinct categories of the replicated products (the ones the
// program's rules name). RxDB has no "distinct", so the product rows are read once and the list cached for
// the page; each sale screen refreshes it in the background, showing the cached list at once.
import { useEffect, useState } from 'react';
import type { Terminal } from '../db/index.js';
import { categoriesOf } from './basket.js';
import { useTerminal } from './use-terminal.js';

const cache = new WeakMap<Terminal, string[]>();

export function useCategories(): string[] {
  const { terminal } = useTerminal();
  const [categories, setCategories] = useState<string[]>(() => cache.get(terminal) ?? []);
  useEffect(() => {
    let live = true;
    terminal.databases.catalog.products
      .find()
      .exec()
      .then(
        (docs) => {
          const list = categoriesOf(docs.map((d) => ({ category: d.category })));
          cache.set(terminal, list);
          if (live) setCategories(list);
        },
        () => undefined,
      );
    return () => {
      live = false;
    };
  }, [terminal]);
  return categories;
}
