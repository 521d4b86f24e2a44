// Test builders for sealed ledger events: one factory per terminal fills ids (deterministic, UUID-shaped),
// terminalSeq, the hash chain and a moving occurredAt, so tests read as "enrolled, earned 120, voided".
// Also a minimal valid program for tests that only need the ledger's settings.
import { sealEvent, type ChainHead } from '../../src-shared/ledger/chain.js';
import type { EventOf, LedgerEvent, UnsealedEvent, VoidableEvent } from '../../src-shared/ledger/events.js';
import { sha256Hex } from '../../src-shared/kernel/hash.js';
import { programSchema, type Program, type ProgramInput } from '../../src-shared/program/schema.js';

type Payload<T extends LedgerEvent['type']> = EventOf<T>['payload'];
/** An instant as ISO text or epoch milliseconds. */
export type At = string | number;

export interface EventFactoryOptions {
  terminalId?: string;
  storeId?: string;
  cashierId?: string;
  /** occurredAt of the first event (default 2025-03-03T09:00:00.000Z); each next event is a minute later. */
  start?: At;
  programVersion?: number;
  /** Continue an existing chain instead of starting at terminalSeq 1. */
  from?: ChainHead | null;
  /** Eight hex digits that make this factory's ids distinct (default: derived from terminalId). */
  idPrefix?: string;
}

const MINUTE = 60_000;
const iso = (at: At): string => (typeof at === 'number' ? new Date(at).toISOString() : at);

export interface EventFactory {
  readonly terminalId: string;
  /** Every event sealed so far, in order. */
  readonly events: readonly LedgerEvent[];
  /** The chain head after the last event (null before any). */
  readonly head: ChainHead | null;
  /** A fresh UUID-shaped id (the next one this factory would use). */
  nextId(): string;
  /** Seals any event on this terminal's chain: fills id (unless given), envelope, seq and hashes. */
  seal<T extends LedgerEvent['type']>(
    type: T,
    memberId: string,
    payload: Payload<T>,
    at?: At,
    id?: string,
  ): EventOf<T>;
  enrolled(
    memberId: string,
    details?: Partial<Payload<'member-enrolled'>>,
    at?: At,
  ): EventOf<'member-enrolled'>;
  updated(memberId: string, changes: Payload<'member-updated'>, at?: At): EventOf<'member-updated'>;
  earned(
    memberId: string,
    points: number,
    at?: At,
    basket?: { eligible?: number; total?: number },
  ): EventOf<'points-earned'>;
  redeemed(
    memberId: string,
    cost: number,
    at?: At,
    options?: Partial<Payload<'points-redeemed'>>,
  ): EventOf<'points-redeemed'>;
  adjusted(
    memberId: string,
    points: number,
    at?: At,
    options?: Partial<Payload<'points-adjusted'>>,
  ): EventOf<'points-adjusted'>;
  bonus(
    memberId: string,
    points: number,
    kind?: Payload<'bonus-awarded'>['kind'],
    at?: At,
    options?: Partial<Payload<'bonus-awarded'>>,
  ): EventOf<'bonus-awarded'>;
  expired(
    memberId: string,
    points: number,
    batches: readonly string[],
    reason?: Payload<'points-expired'>['reason'],
    at?: At,
  ): EventOf<'points-expired'>;
  tierChanged(
    memberId: string,
    from: string | null,
    to: string | null,
    qualifying?: number,
    at?: At,
  ): EventOf<'tier-changed'>;
  planJoined(memberId: string, planId: string, until: At, at?: At, fee?: number): EventOf<'plan-joined'>;
  voided(original: VoidableEvent, at?: At, reason?: string): EventOf<'event-voided'>;
}

/** A terminal (or HQ, with terminalId 'hq') making sealed events on its own chain. */
export function eventFactory(options: EventFactoryOptions = {}): EventFactory {
  const terminalId = options.terminalId ?? 't-1';
  const storeId = options.storeId ?? 's-1';
  const cashierId = options.cashierId ?? 'c-1';
  const programVersion = options.programVersion ?? 1;
  const prefix = (options.idPrefix ?? sha256Hex(`terminal:${terminalId}`).slice(0, 8)).toLowerCase();
  if (!/^[0-9a-f]{8}$/.test(prefix)) throw new Error('idPrefix must be eight hex digits');
  const events: LedgerEvent[] = [];
  let head: ChainHead | null = options.from ?? null;
  let counter = 0;
  let clock = Date.parse(iso(options.start ?? '2025-03-03T09:00:00.000Z'));
  let first = true;

  const occurredAt = (at?: At): string => {
    if (at !== undefined) clock = Date.parse(iso(at));
    else if (!first) clock += MINUTE;
    first = false;
    return new Date(clock).toISOString();
  };
  const nextId = (): string => {
    counter += 1;
    return `${prefix}-0000-7000-8000-${counter.toString(16).padStart(12, '0')}`;
  };
  const seal = <T extends LedgerEvent['type']>(
    type: T,
    memberId: string,
    payload: Payload<T>,
    at?: At,
    id?: string,
  ): EventOf<T> => {
    const unsealed = {
      id: id ?? nextId(),
      type,
      memberId,
      terminalId,
      storeId,
      cashierId,
      occurredAt: occurredAt(at),
      programVersion,
      payload,
    } as unknown as UnsealedEvent;
    const event = sealEvent(unsealed, head);
    events.push(event);
    head = { terminalSeq: event.terminalSeq, hash: event.hash };
    return event as EventOf<T>;
  };

  return {
    terminalId,
    get events() {
      return events;
    },
    get head() {
      return head;
    },
    nextId,
    seal,
    enrolled: (memberId, details = {}, at) =>
      seal(
        'member-enrolled',
        memberId,
        {
          displayName: 'Ada L.',
          phoneHash: null,
          phoneLast4: null,
          birthMonth: null,
          cards: [],
          referredBy: null,
          welcomeBonus: 0,
          profile: null,
          ...details,
        },
        at,
      ),
    updated: (memberId, changes, at) => seal('member-updated', memberId, changes, at),
    earned: (memberId, points, at, basket = {}) => {
      const eligible = basket.eligible ?? points * 100;
      return seal(
        'points-earned',
        memberId,
        {
          basket: { currency: 'EUR', total: basket.total ?? eligible, eligible, lines: 1, items: 1 },
          lines: [
            {
              sku: 'item',
              category: 'general',
              quantity: 1,
              unitPrice: Math.max(0, basket.total ?? eligible),
              discount: 0,
            },
          ],
          points,
          explanation:
            points > 0 ? [{ ruleId: 'base', label: 'Base', points, detail: `${points} points` }] : [],
        },
        at,
      );
    },
    redeemed: (memberId, cost, at, opts = {}) =>
      seal(
        'points-redeemed',
        memberId,
        // `quantity: cost` of the 1-point reward every HQ test program lists (STEP_REWARD), so any cost is a
        // claim HQ's checks accept; tests of the reward checks pass their own rewardId and quantity.
        { rewardId: 'reward', quantity: cost, cost, mode: 'online', override: null, ...opts },
        at,
      ),
    adjusted: (memberId, points, at, opts = {}) =>
      seal(
        'points-adjusted',
        memberId,
        { points, reasonCode: 'goodwill', managerId: 'm-1', note: null, ...opts },
        at,
      ),
    bonus: (memberId, points, kind = 'campaign', at, opts = {}) =>
      seal('bonus-awarded', memberId, { kind, points, actionId: null, note: null, ...opts }, at),
    expired: (memberId, points, batches, reason = 'rolling', at) =>
      seal('points-expired', memberId, { points, reason, batches: [...batches] }, at),
    tierChanged: (memberId, from, to, qualifying = 0, at) =>
      seal('tier-changed', memberId, { from, to, qualifying }, at),
    planJoined: (memberId, planId, until, at, fee = 0) =>
      seal('plan-joined', memberId, { planId, fee, until: iso(until) }, at),
    voided: (original, at, reason = 'refund') =>
      seal('event-voided', original.memberId, { original, reason, managerId: 'm-1' }, at),
  };
}

/** A 1-point reward redeemable in any quantity: the reward eventFactory's `redeemed` names. */
export const STEP_REWARD = {
  id: 'reward',
  label: 'Points off',
  kind: 'fixed-discount',
  cost: 1,
  amount: 1,
  maxPerTransaction: 1_000_000,
} as const;

/** Two tiers on points over 12 months: Silver from 0, Gold from 1,000 (the tests' usual ladder). */
export const SILVER_GOLD_TIERS = {
  basis: 'points',
  windowMonths: 12,
  levels: [
    { id: 'silver', label: 'Silver', threshold: 0 },
    { id: 'gold', label: 'Gold', threshold: 1000 },
  ],
} satisfies NonNullable<ProgramInput['tiers']>;

/** A minimal valid program (1 point per 1.00 EUR, Europe/Paris, no tiers, no expiry) with overrides on top. */
export function testProgram(overrides: Partial<ProgramInput> = {}): Program {
  return programSchema.parse({
    id: 'test-program',
    version: 1,
    name: 'Test program',
    currency: 'EUR',
    timeZone: 'Europe/Paris',
    pointValue: { points: 100, value: 100 },
    earning: { rules: [{ id: 'base', label: 'Base', kind: 'per-amount', points: 1, per: 100 }] },
    offline: {
      allowanceCap: 500,
      freshHours: 24,
      expiredHours: 72,
      staleAllowancePercent: 50,
      managerOverrideCap: 200,
    },
    ...overrides,
  });
}
