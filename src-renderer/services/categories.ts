// Product categories for keyed amounts: the distinct categories of the replicated products (the ones the
// program's rules name), sorted.

/** Each category once, in alphabetical order. */
export function categoriesOf(products: Iterable<{ category: string }>): string[] {
  const set = new Set<string>();
  for (const p of products) set.add(p.category);
  return [...set].sort((a, b) => a.localeCompare(b));
}
