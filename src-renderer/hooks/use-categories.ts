// Product categories for keyed amounts, from the services. The list is cached for the page; each sale
// screen refreshes it in the background, showing the cached list at once.
import { useEffect, useState } from 'react';
import type { Terminal } from '../startup/index.js';
import { useTerminal } from './use-terminal.js';

const cache = new WeakMap<Terminal, string[]>();

export function useCategories(): string[] {
  const { terminal } = useTerminal();
  const [categories, setCategories] = useState<string[]>(() => cache.get(terminal) ?? []);
  useEffect(() => {
    let live = true;
    terminal.services.categories().then(
      (list) => {
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
