// A store manager's stores as the forms take them: store ids typed in one field, separated by commas or
// spaces (the console has no store list of its own yet).
export const parseStoreIds = (text: string): string[] => [
  ...new Set(
    text
      .split(/[\s,]+/)
      .map((id) => id.trim())
      .filter(Boolean),
  ),
];

export const storeIdsText = (ids: readonly string[]): string => ids.join(', ');
