// Small builders for the engine tests: a valid program with one base rule unless told otherwise, a member,
// basket lines. Programs go through programSchema.parse so defaults are filled exactly as in production.
import type { Basket, BasketLine } from '../../../src-shared/engine/basket.js';
import type { QuoteMember } from '../../../src-shared/engine/conditions.js';
import { emptyMember, type Member } from '../../../src-shared/ledger/member.js';
import { programSchema, type Program, type ProgramInput } from '../../../src-shared/program/schema.js';

export type RuleInput = ProgramInput['earning']['rules'][number];

export const offlinePolicy = {
  allowanceCap: 1000,
  allowancePercentOfBalance: 100,
  freshHours: 24,
  expiredHours: 72,
  staleAllowancePercent: 50,
  managerOverrideCap: 200,
};

/** 1 point per 1.00 EUR on everything. */
export const perEuro: RuleInput = {
  id: 'base',
  label: 'Base points',
  kind: 'per-amount',
  points: 1,
  per: 100,
};

export interface ProgramOptions extends Partial<Omit<ProgramInput, 'earning'>> {
  rules?: RuleInput[];
  earning?: Partial<ProgramInput['earning']>;
}

export function makeProgram(options: ProgramOptions = {}): Program {
  const { rules, earning, ...rest } = options;
  return programSchema.parse({
    id: 'test',
    version: 1,
    name: 'Test program',
    currency: 'EUR',
    timeZone: 'Europe/Paris',
    pointValue: { points: 100, value: 100 },
    offline: offlinePolicy,
    ...rest,
    earning: { rules: rules ?? [perEuro], ...earning },
  });
}

export const MEMBER_ID = 'm-1';
export const ENROLLED_AT = '2025-01-15T10:00:00.000Z';

export function makeMember(overrides: Partial<Member> = {}): Member {
  return { ...emptyMember(MEMBER_ID, ENROLLED_AT), displayName: 'Ana B.', purchases: 3, ...overrides };
}

/** The member facts a quote reads: a regular member with no tier, plan or referral. */
export function quoteMember(overrides: Partial<QuoteMember> = {}): QuoteMember {
  return { tier: null, birthMonth: null, purchases: 3, plan: null, referredBy: null, ...overrides };
}

let skuCounter = 0;

/** A line of `quantity` × `unitPrice` cents in `category`; a fresh SKU unless one is given. */
export function line(
  category: string,
  unitPrice: number,
  quantity = 1,
  extra: Partial<BasketLine> = {},
): BasketLine {
  skuCounter += 1;
  return { sku: `sku-${category}-${skuCounter}`, category, quantity, unitPrice, discount: 0, ...extra };
}

export const basket = (...lines: BasketLine[]): Basket => ({ currency: 'EUR', lines });

export const at = (iso: string): number => Date.parse(iso);

/** A Wednesday noon in Paris, outside every weekend or time-window rule used in the tests. */
export const WEDNESDAY = at('2026-03-11T11:00:00Z');
/** A Saturday noon in Paris. */
export const SATURDAY = at('2026-03-14T11:00:00Z');
