// The example programs in examples/programs are what an HQ administrator copies from, so each must validate
// and keep the properties docs/program-format.md describes. The folder is listed, not named file by file,
// so a new example is validated the day it is added.
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblems, parseProgramJson } from '../../../src-shared/program/parse.js';
import type { EarnRule, Program, Reward } from '../../../src-shared/program/schema.js';

const folder = resolve(import.meta.dirname, '../../../examples/programs');
const files = readdirSync(folder)
  .filter((f) => f.endsWith('.json'))
  .sort();

function load(file: string): Program {
  const result = parseProgramJson(readFileSync(resolve(folder, file), 'utf8'));
  // Throwing the formatted problems makes a failing example readable in the test output.
  if (!result.ok) throw new Error(`${file}:\n${formatProblems(result.error)}`);
  return result.value;
}

const rule = <K extends EarnRule['kind']>(
  p: Program,
  id: string,
  kind: K,
): Extract<EarnRule, { kind: K }> => {
  const r = p.earning.rules.find((x) => x.id === id);
  if (!r || r.kind !== kind) throw new Error(`no ${kind} rule "${id}"`);
  return r as Extract<EarnRule, { kind: K }>;
};
const reward = <K extends Reward['kind']>(p: Program, id: string, kind: K): Extract<Reward, { kind: K }> => {
  const r = p.rewards.find((x) => x.id === id);
  if (!r || r.kind !== kind) throw new Error(`no ${kind} reward "${id}"`);
  return r as Extract<Reward, { kind: K }>;
};

describe('example programs', () => {
  it('the folder holds the four documented examples (and possibly more)', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'coffee-shop.json',
        'fashion-chain.json',
        'grocery-chain.json',
        'paid-membership.json',
      ]),
    );
  });

  describe.each(files)('%s', (file) => {
    it('validates against the program schema', () => {
      expect(() => load(file)).not.toThrow();
    });

    it('is a first version with a kebab-case file name', () => {
      expect(file).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*\.json$/);
      expect(load(file).version).toBe(1);
    });

    it('has a base earn rate and a redeemable catalog', () => {
      const p = load(file);
      expect(p.earning.rules.some((r) => r.kind === 'per-amount')).toBe(true);
      expect(p.rewards.filter((r) => r.active).length).toBeGreaterThan(0);
    });

    it('can be redeemed offline within the allowance', () => {
      // An allowance below the cheapest reward would make offline redemption a promise never kept.
      const p = load(file);
      const cheapest = Math.min(...p.rewards.map((r) => r.cost));
      expect(p.offline.allowanceCap).toBeGreaterThanOrEqual(cheapest);
    });
  });

  it('program ids are distinct across examples', () => {
    const ids = files.map((f) => load(f).id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('coffee shop (Bean There)', () => {
  const p = load('coffee-shop.json');

  it('runs in EUR on Paris time', () => {
    expect(p).toMatchObject({
      name: 'Bean There Rewards',
      currency: 'EUR',
      timeZone: 'Europe/Paris',
      rounding: 'floor',
    });
  });

  it('earns 1 point per 1.00 EUR', () => {
    expect(rule(p, 'base', 'per-amount')).toMatchObject({ points: 1, per: 100 });
  });

  it('doubles points on Saturday and Sunday', () => {
    const weekend = rule(p, 'weekend-double', 'multiplier');
    expect(weekend.factor).toBe(2);
    expect(weekend.conditions?.daysOfWeek).toEqual([6, 7]);
    expect(weekend.scope).toBeUndefined();
  });

  it('gives an early-bird visit bonus on weekday mornings 07:00–09:00', () => {
    const bird = rule(p, 'early-bird', 'per-visit');
    expect(bird.points).toBe(5);
    expect(bird.conditions).toEqual({
      daysOfWeek: [1, 2, 3, 4, 5],
      timeWindow: { from: '07:00', to: '09:00' },
    });
  });

  it('never earns on gift cards', () => {
    expect(p.earning.excluded.categories).toContain('gift-cards');
  });

  it('has welcome, birthday and a monthly survey bonus', () => {
    expect(p.bonuses.welcome).toBeGreaterThan(0);
    expect(p.bonuses.birthday).toBeGreaterThan(0);
    expect(p.actions.find((a) => a.id === 'survey-answered')?.limit).toEqual({ count: 1, period: 'month' });
  });

  it('offers a free coffee and expires points 12 months after they were earned', () => {
    expect(reward(p, 'free-coffee', 'free-product').sku).toBe('BT-COFFEE-ANY');
    expect(p.expiry).toEqual({ mode: 'rolling', months: 12 });
  });
});

describe('fashion chain (Nordlicht Style Club)', () => {
  const p = load('fashion-chain.json');

  it('has Silver, Gold and Platinum on 12 months of spend with multipliers 1, 1.5 and 2', () => {
    expect(p.tiers?.basis).toBe('spend');
    expect(p.tiers?.windowMonths).toBe(12);
    expect(p.tiers?.levels.map((t) => [t.id, t.threshold, t.multiplier])).toEqual([
      ['silver', 0, 1],
      ['gold', 50_000, 1.5],
      ['platinum', 150_000, 2],
    ]);
  });

  it('states multiplier stacking explicitly', () => {
    const raw = JSON.parse(readFileSync(resolve(folder, 'fashion-chain.json'), 'utf8')) as {
      earning: Record<string, unknown>;
    };
    expect(raw.earning.multiplierStacking).toBe('highest');
  });

  it('has tier-only rewards and a capped percent discount', () => {
    expect(reward(p, 'gold-15-percent', 'percent-discount')).toMatchObject({
      percent: 15,
      cap: 6000,
      tiers: ['gold', 'platinum'],
    });
    expect(reward(p, 'platinum-25-percent', 'percent-discount').tiers).toEqual(['platinum']);
    expect(reward(p, 'platinum-free-alteration', 'free-product').tiers).toEqual(['platinum']);
    const open = reward(p, 'ten-euro-off', 'fixed-discount');
    expect(open.amount).toBe(1000);
    expect(open.tiers).toBeUndefined();
  });

  it('has a referral bonus for both members and a birthday-month multiplier', () => {
    expect(p.bonuses.referral).toEqual({ referrer: 200, newMember: 100 });
    const birthday = rule(p, 'birthday-month-double', 'multiplier');
    expect(birthday).toMatchObject({ factor: 2, conditions: { birthdayMonth: true } });
  });
});

describe('grocery chain (GreenBasket)', () => {
  const p = load('grocery-chain.json');

  it('adds multipliers and excludes the categories the law or margins rule out', () => {
    expect(p.earning.multiplierStacking).toBe('add');
    expect(p.earning.excluded.categories).toEqual([
      'tobacco',
      'alcohol',
      'gift-cards',
      'lottery',
      'infant-formula',
    ]);
  });

  it('has category multipliers: fresh produce ×3, own brand ×2', () => {
    expect(rule(p, 'fresh-produce-triple', 'multiplier')).toMatchObject({
      factor: 3,
      scope: { categories: ['fresh-produce'] },
    });
    expect(rule(p, 'own-brand-double', 'multiplier')).toMatchObject({
      factor: 2,
      scope: { categories: ['own-brand'] },
    });
  });

  it('has a per-item promotion, a buy-3 bonus, a minimum-basket bonus and a dated campaign', () => {
    expect(rule(p, 'oat-drink-promo', 'per-item')).toMatchObject({
      points: 10,
      scope: { skus: ['GB-OAT-DRINK-1L'] },
    });
    expect(rule(p, 'pasta-sauce-3', 'fixed-bonus')).toMatchObject({ points: 50, minQuantity: 3 });
    expect(rule(p, 'big-shop', 'per-visit').conditions?.minBasket).toBe(6000);
    expect(rule(p, 'summer-bbq', 'multiplier').conditions?.dateRange).toEqual({
      from: '2026-06-15',
      to: '2026-07-12',
    });
  });

  it('expires the balance after 18 months without activity', () => {
    expect(p.expiry).toEqual({ mode: 'inactivity', months: 18 });
  });
});

describe('paid membership (Leaf & Ledger)', () => {
  const p = load('paid-membership.json');

  it('sells a one-year plan with double points, a join bonus and perks', () => {
    expect(p.plans).toHaveLength(1);
    expect(p.plans[0]).toMatchObject({
      id: 'readers-plus-annual',
      fee: 2900,
      durationDays: 365,
      multiplier: 2,
      joinBonus: 500,
    });
    expect(p.plans[0]?.perks.length).toBeGreaterThan(0);
  });

  it('offers donations to two charities and a gift card', () => {
    const donations = p.rewards.filter((r) => r.kind === 'donation');
    expect(donations.map((d) => d.charity)).toEqual(["Children's Reading Fund", 'City Food Bank']);
    expect(reward(p, 'gift-card-25', 'gift-card').amount).toBe(2500);
  });
});
