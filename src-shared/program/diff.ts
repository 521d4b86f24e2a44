// What changed between two program versions (or a draft and the current version), as a list a program
// manager reads before publishing: rules, rewards, tiers, plans, actions and card patterns matched by id
// (added, removed, changed field by field, or put in another order: order decides ties between
// multipliers and which card pattern matches first), and every other section (bonuses, expiry, offline
// policy…) field by field. Both sides are parsed programs, so a default written out and a default left
// implicit are the same and show no change. `version` is the versions' identity, not a change: left out.
import type { Program } from './schema.js';

/** Where in the program a change is. */
export type ProgramSection =
  | 'program'
  | 'earning'
  | 'rules'
  | 'bonuses'
  | 'actions'
  | 'rewards'
  | 'tiers'
  | 'expiry'
  | 'plans'
  | 'offline'
  | 'adjustments'
  | 'cards'
  | 'staff';

export interface FieldChange {
  /** Dotted path inside the item or section (`scope.categories`, `points`); '' for the whole value. */
  path: string;
  /** null when the field was not there. */
  before: unknown;
  after: unknown;
}

export interface ProgramChange {
  section: ProgramSection;
  change: 'added' | 'removed' | 'changed' | 'reordered';
  /** The item's id (a rule, reward, tier…); null for a section's own fields. */
  id: string | null;
  /** The item's label (the newer one when both have one); null for a section's own fields. */
  label: string | null;
  /** Field by field for `changed`; the whole item for `added` / `removed`; the id order for `reordered`. */
  fields: FieldChange[];
}

type Json = unknown;

const isRecord = (value: Json): value is Record<string, Json> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** Deep equality of JSON-like values (object key order does not matter). */
export function sameValue(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((item, i) => sameValue(item, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) if (!sameValue(a[key], b[key])) return false;
    return true;
  }
  return false;
}

/**
 * The fields that differ between two values, as leaf paths: objects are walked key by key, anything else
 * (numbers, strings, lists of values such as `scope.categories`) is compared whole.
 */
export function fieldChanges(before: Json, after: Json, path = ''): FieldChange[] {
  if (sameValue(before, after)) return [];
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((key) => fieldChanges(before[key], after[key], path ? `${path}.${key}` : key));
  }
  return [{ path, before: before ?? null, after: after ?? null }];
}

interface Identified {
  id: string;
  label?: string;
}

function listChanges(
  section: ProgramSection,
  before: readonly Identified[],
  after: readonly Identified[],
): ProgramChange[] {
  const changes: ProgramChange[] = [];
  const afterById = new Map(after.map((item) => [item.id, item]));
  const beforeById = new Map(before.map((item) => [item.id, item]));
  for (const old of before) {
    const now = afterById.get(old.id);
    if (!now) {
      changes.push({
        section,
        change: 'removed',
        id: old.id,
        label: old.label ?? null,
        fields: [{ path: '', before: old, after: null }],
      });
      continue;
    }
    const fields = fieldChanges(old, now);
    if (fields.length > 0)
      changes.push({ section, change: 'changed', id: now.id, label: now.label ?? old.label ?? null, fields });
  }
  for (const now of after)
    if (!beforeById.has(now.id))
      changes.push({
        section,
        change: 'added',
        id: now.id,
        label: now.label ?? null,
        fields: [{ path: '', before: null, after: now }],
      });
  // The order of the items both versions have: it decides multiplier ties and the first matching pattern.
  const kept = (items: readonly Identified[], other: Map<string, Identified>) =>
    items.filter((item) => other.has(item.id)).map((item) => item.id);
  const oldOrder = kept(before, afterById);
  const newOrder = kept(after, beforeById);
  if (!sameValue(oldOrder, newOrder))
    changes.push({
      section,
      change: 'reordered',
      id: null,
      label: null,
      fields: [{ path: 'order', before: oldOrder, after: newOrder }],
    });
  return changes;
}

function sectionChanges(section: ProgramSection, before: Json, after: Json): ProgramChange[] {
  if (sameValue(before, after)) return [];
  const change = before === undefined ? 'added' : after === undefined ? 'removed' : 'changed';
  return [{ section, change, id: null, label: null, fields: fieldChanges(before, after) }];
}

/** Everything that differs from `before` to `after`, section by section in the program's order. */
export function diffPrograms(before: Program, after: Program): ProgramChange[] {
  const { rules: oldRules, ...oldEarning } = before.earning;
  const { rules: newRules, ...newEarning } = after.earning;
  const tiersRest = (p: Program) => {
    if (!p.tiers) return undefined;
    const { levels: _levels, ...rest } = p.tiers;
    return rest;
  };
  const programFields = (p: Program) => ({
    id: p.id,
    name: p.name,
    currency: p.currency,
    timeZone: p.timeZone,
    pointValue: p.pointValue,
    rounding: p.rounding,
  });
  return [
    ...sectionChanges('program', programFields(before), programFields(after)),
    ...sectionChanges('earning', oldEarning, newEarning),
    ...listChanges('rules', oldRules, newRules),
    ...sectionChanges('bonuses', before.bonuses, after.bonuses),
    ...listChanges('actions', before.actions, after.actions),
    ...listChanges('rewards', before.rewards, after.rewards),
    ...sectionChanges('tiers', tiersRest(before), tiersRest(after)),
    ...listChanges('tiers', before.tiers?.levels ?? [], after.tiers?.levels ?? []),
    ...sectionChanges('expiry', before.expiry, after.expiry),
    ...listChanges('plans', before.plans, after.plans),
    ...sectionChanges('offline', before.offline, after.offline),
    ...sectionChanges('adjustments', before.adjustments, after.adjustments),
    ...listChanges('cards', before.cards.patterns, after.cards.patterns),
    ...sectionChanges('staff', before.staff, after.staff),
  ];
}
