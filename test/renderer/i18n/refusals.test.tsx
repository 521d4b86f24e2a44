// The counter's refusals in the store's language, said from the reason and the figures (i18n/refusals.ts):
// every reason of every shared rule, produced by the rule itself, reads in English exactly as the rule's
// message (nothing changes for English tills) and in French as French, with no key missing; the counter
// services' own refusals, produced by the services of a till, do the same; a refusal whose reason the
// counter does not know keeps its English message and is logged as a missing translation.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkAction, type ActionRefusal } from '../../../src-shared/engine/actions.js';
import type { OfflineState } from '../../../src-shared/engine/offline.js';
import { checkPlanSale, type PlanRefusal } from '../../../src-shared/engine/plans.js';
import {
  checkRedemption,
  type RedemptionInput,
  type RedemptionRefusal,
  type RedemptionRefusalReason,
} from '../../../src-shared/engine/redemption.js';
import { DAY_MS } from '../../../src-shared/kernel/clock.js';
import type { RefusalFigures } from '../../../src-shared/kernel/problems.js';
import type { Result } from '../../../src-shared/kernel/result.js';
import {
  mayReturn,
  type ReturnRefusal,
  type ReturnRefusalReason,
} from '../../../src-shared/ledger/returns.js';
import { mayVoid, type VoidRefusal, type VoidRefusalReason } from '../../../src-shared/ledger/voids.js';
import { programSchema, type ProgramInput } from '../../../src-shared/program/schema.js';
import { missingKeys, speakLocale } from '../../../src-renderer/i18n/index.js';
import {
  problemText,
  refusalText,
  ruleRefusal,
  scanRejectionText,
  type RefusalRule,
  type SaidRefusal,
} from '../../../src-renderer/i18n/refusals.js';
import { ActionButton } from '../../../src-renderer/components/action-button.js';
import { NOT_READY_FOR_SCANS } from '../../../src-renderer/hooks/use-scans.js';
import { scanOutcome } from '../../../src-renderer/hooks/scan-outcome.js';
import { classifyFrame } from '../../../src-shared/scan/classify.js';
import { REJECTION_MESSAGES, REJECTION_REASONS } from '../../../src-shared/scan/result.js';
import { renderToStaticMarkup } from 'react-dom/server';
import { i18n } from '../../../src-renderer/i18n/index.js';
import { planDayText } from '../../../src-renderer/services/plans.js';
import {
  counterSayings,
  type CounterSaying,
  type Refusal,
} from '../../../src-renderer/services/counter-types.js';
import { exampleProgram } from '../../support/hq.js';
import { eventFactory, SILVER_GOLD_TIERS } from '../../support/events.js';
import { TEST_CASHIER as CASHIER, openTestTerminal, type TestTerminal } from '../../support/terminal.js';
import { quote } from '../../../src-shared/engine/quote.js';
import {
  basket,
  line,
  makeMember,
  makeProgram,
  quoteMember,
  WEDNESDAY,
} from '../../shared/engine/builders.js';
import { FakeHq } from '../support/scripted-hq.js';

afterEach(async () => {
  await speakLocale('en-IE');
  vi.restoreAllMocks();
});

const refused = <E,>(r: Result<unknown, E>): E => {
  if (r.ok) throw new Error('expected a refusal');
  return r.error;
};

/** English is the message word for word; French is other words, with no {{value}} left and no key missing. */
async function saysInBothLanguages(refusal: SaidRefusal): Promise<string> {
  await speakLocale('en-IE');
  expect(refusalText(refusal), refusal.say).toBe(refusal.message);
  await speakLocale('fr-FR');
  const french = refusalText(refusal);
  expect(french, refusal.say).not.toBe(refusal.message);
  expect(french, refusal.say).not.toMatch(/\{\{|refusals\./);
  expect(missingKeys()).toEqual([]);
  return french;
}

// --- The shared rules, each reason produced by the rule itself -------------------------------------------

const rewardsProgram = makeProgram({
  tiers: SILVER_GOLD_TIERS,
  rewards: [
    {
      id: 'coffee',
      label: 'Free coffee',
      kind: 'free-product',
      sku: 'coffee-1',
      cost: 100,
      maxPerTransaction: 3,
    },
    { id: 'ten-off', label: '10.00 EUR off', kind: 'fixed-discount', amount: 1000, cost: 500 },
    { id: 'lounge', label: 'Lounge pass', kind: 'gift-card', amount: 2000, cost: 200, tiers: ['gold'] },
    { id: 'old', label: 'Old mug', kind: 'free-product', sku: 'mug', cost: 50, active: false },
  ],
});
const rich = makeMember({ balance: 5000, offlineAllowance: 300 });
const redeem = (over: Partial<RedemptionInput>): RedemptionRefusal =>
  refused(
    checkRedemption({
      rewardId: 'coffee',
      quantity: 1,
      member: rich,
      program: rewardsProgram,
      offline: { online: true },
      at: WEDNESDAY,
      ...over,
    }),
  );
const offline = (mode: 'fresh' | 'stale' | 'expired', usedOffline = 0): OfflineState => ({
  online: false,
  mode,
  allowance: 300,
  usedOffline,
});

/** Every redemption reason (a Record: a new reason without a case does not compile). */
const redemptions: Record<RedemptionRefusalReason, () => RedemptionRefusal> = {
  'reward-unknown': () => redeem({ rewardId: 'nope' }),
  'reward-inactive': () => redeem({ rewardId: 'old' }),
  'member-inactive': () => redeem({ member: makeMember({ status: 'blocked', balance: 5000 }) }),
  'tier-only': () => redeem({ rewardId: 'lounge' }),
  'over-transaction-limit': () => redeem({ quantity: 4 }),
  'insufficient-points': () => redeem({ member: makeMember({ balance: 300 }), rewardId: 'ten-off' }),
  'earn-only-mode': () => redeem({ offline: offline('expired') }),
  'needs-manager-override': () => redeem({ quantity: 3, offline: offline('fresh', 150) }),
  'over-offline-allowance': () => redeem({ rewardId: 'ten-off', offline: offline('stale', 1) }),
};

const plansProgram = makeProgram({
  plans: [{ id: 'plus', label: 'Plus', fee: 2900, durationDays: 365 }],
  timeZone: 'Europe/Paris',
});
const planDay = (ms: number) => planDayText(ms, 'Europe/Paris');
const plans: Record<PlanRefusal['reason'], () => PlanRefusal> = {
  'plan-unknown': () => refused(checkPlanSale(makeMember(), 'gold-club', plansProgram, WEDNESDAY, planDay)),
  'member-inactive': () =>
    refused(checkPlanSale(makeMember({ status: 'closed' }), 'plus', plansProgram, WEDNESDAY, planDay)),
  'plan-active': () =>
    refused(
      checkPlanSale(
        makeMember({ plan: { id: 'plus', until: new Date(WEDNESDAY + 30 * DAY_MS).toISOString() } }),
        'plus',
        plansProgram,
        WEDNESDAY,
        planDay,
      ),
    ),
};

const actionsProgram = makeProgram({
  timeZone: 'Europe/Paris',
  actions: [
    { id: 'review', label: 'Review written', points: 25, limit: { count: 2, period: 'week' } },
    { id: 'app', label: 'App installed', points: 15, limit: { count: 1, period: 'lifetime' } },
  ] as ProgramInput['actions'],
});
const twice = new Date(WEDNESDAY - 3_600_000).toISOString();
const actions: Record<ActionRefusal['reason'], () => ActionRefusal> = {
  'action-unknown': () => refused(checkAction(makeMember(), 'survey', actionsProgram, WEDNESDAY)),
  'member-inactive': () =>
    refused(checkAction(makeMember({ status: 'blocked' }), 'app', actionsProgram, WEDNESDAY)),
  'limit-reached': () =>
    refused(
      checkAction(makeMember({ actions: { review: [twice, twice] } }), 'review', actionsProgram, WEDNESDAY),
    ),
};

const events = eventFactory();
const M = 'member-1';
const earned = events.adjusted(M, 50);
const voids: Record<VoidRefusalReason, () => VoidRefusal> = {
  'not-voidable': () =>
    refused(mayVoid({ original: events.tierChanged(M, null, 'silver'), alreadyVoided: false })),
  'not-counted': () => refused(mayVoid({ original: earned, counted: false, alreadyVoided: false })),
  'other-member': () => refused(mayVoid({ original: earned, memberId: 'member-2', alreadyVoided: false })),
  'differs-from-held': () =>
    refused(
      mayVoid({
        original: { ...earned, payload: { ...earned.payload, points: 5000 } },
        held: earned,
        alreadyVoided: false,
      }),
    ),
  'already-voided': () => refused(mayVoid({ original: earned, alreadyVoided: true })),
  returned: () => refused(mayVoid({ original: earned, alreadyVoided: false, returned: true })),
};

const saleProgram = makeProgram();
const sold = basket(line('coffee', 450, 2, { sku: 'coffee' }));
const saleQuote = quote(sold, quoteMember(), saleProgram, WEDNESDAY);
/** A sale as the till records it (test/shared/ledger/returns.test.ts saleOf). */
const sale = events.seal(
  'points-earned',
  M,
  {
    basket: saleQuote.summary,
    lines: sold.lines,
    points: saleQuote.points,
    explanation: saleQuote.explanation,
  },
  WEDNESDAY,
);
const none = new Map<number, number>();
const returnOf = (over: Partial<Parameters<typeof mayReturn>[0]>): ReturnRefusal =>
  refused(
    mayReturn({
      original: sale,
      voided: false,
      returnedBefore: none,
      lines: [{ line: 0, sku: 'coffee', quantity: 1 }],
      ...over,
    }),
  );
const returns: Record<ReturnRefusalReason, () => ReturnRefusal> = {
  'not-returnable': () => returnOf({ original: earned }),
  'not-counted': () => returnOf({ counted: false }),
  'other-member': () => returnOf({ memberId: 'member-2' }),
  'differs-from-held': () => returnOf({ held: { ...sale, payload: { ...sale.payload, points: 1 } } }),
  voided: () => returnOf({ voided: true }),
  'unknown-line': () => returnOf({ lines: [{ line: 3, sku: 'cake', quantity: 1 }] }),
  'beyond-quantity': () => returnOf({ lines: [{ line: 0, sku: 'coffee', quantity: 3 }] }),
};

/** A shared refusal as the counter services pass it on: its words are the rule's reason. */
const passedOn = (union: string, refusal: SaidRefusal, extra: { figures?: RefusalFigures } = {}) =>
  ruleRefusal(union as RefusalRule, refusal, extra.figures);

describe("the shared rules' refusals at the counter", () => {
  const unions = { redemption: redemptions, plan: plans, action: actions, void: voids, return: returns };
  for (const [union, producers] of Object.entries(unions))
    for (const [reason, produce] of Object.entries(producers as Record<string, () => SaidRefusal>))
      it(`${union} ${reason}: English as the rule says it, French in French`, async () => {
        const refusal = produce();
        expect(refusal.reason).toBe(reason);
        // The plan's end is said in the store's zone, which the counter's plans service adds.
        const zone = union === 'plan' ? { figures: { ...refusal.figures, timeZone: 'Europe/Paris' } } : {};
        await saysInBothLanguages(passedOn(union, refusal, zone));
      });

  it('says the figures in French conventions: points, counts, the plan end, the period, a status', async () => {
    await speakLocale('fr-FR');
    expect(refusalText(passedOn('redemption', redemptions['needs-manager-override']()))).toBe(
      'Le plafond hors ligne est de 150 points : un responsable peut autoriser les 150 points restants',
    );
    expect(refusalText(passedOn('redemption', redemptions['over-offline-allowance']()))).toBe(
      'Plafond hors ligne de ce membre atteint : 1 sur 350 points utilisés depuis que le siège est injoignable (« 10.00 EUR off » en demande 500)',
    );
    const planActive = plans['plan-active']();
    const zoned = { figures: { ...planActive.figures, timeZone: 'Europe/Paris' } };
    expect(refusalText(passedOn('plan', planActive, zoned))).toBe(
      "Déjà membre Plus jusqu'au 10 avr. 2026 : vendez-la à nouveau une fois terminée",
    );
    expect(refusalText(passedOn('action', actions['limit-reached']()))).toBe(
      '« Review written » déjà attribuée 2 fois cette semaine (limite 2)',
    );
    expect(refusalText(passedOn('plan', plans['member-inactive']()))).toBe(
      'Ce compte membre est clôturé : aucune formule',
    );
    expect(refusalText(passedOn('return', returnOf({ lines: [] })))).toBe(
      'Un retour nomme au moins une ligne',
    );
  });
});

// --- The counter services' own refusals, from a till's services ------------------------------------------

describe("the counter services' refusals", () => {
  let till: TestTerminal | null = null;
  afterEach(async () => {
    await till?.close();
    till = null;
  });

  it('say in French what they say in English, each from its words', async () => {
    const program = programSchema.parse({
      ...exampleProgram('paid-membership'),
      actions: [{ id: 'app', label: 'App installed', points: 15, limit: { count: 1, period: 'lifetime' } }],
    });
    till = await openTestTerminal({ api: new FakeHq(program), backoff: { initialMs: 10, maxMs: 50 } });
    const t = till;
    await t.until((s) => s.initialDone && s.replica !== null);
    const services = t.terminal.services;
    const enrolled = await services.recordEnroll({ cashierId: CASHIER, displayName: 'Ann B.' });
    if (!enrolled.ok) throw new Error(enrolled.error.message);
    await t.untilEvent(enrolled.value.event.id);
    const memberId = enrolled.value.event.memberId;
    const awarded = await services.recordAction({ cashierId: CASHIER, memberId, actionId: 'app' });
    if (!awarded.ok) throw new Error(awarded.error.message);
    const sold = await services.recordPlanJoin({
      cashierId: CASHIER,
      memberId,
      planId: 'readers-plus-annual',
    });
    if (!sold.ok) throw new Error(sold.error.message);
    const manager = 'mgr-1';

    const produced: [string, Result<unknown, Refusal>][] = [
      [
        'member-unknown',
        await services.recordEarn({
          cashierId: CASHIER,
          memberId: 'nobody',
          basket: { currency: program.currency, lines: [] },
        }),
      ],
      [
        'basket-currency',
        await services.recordEarn({ cashierId: CASHIER, memberId, basket: { currency: 'USD', lines: [] } }),
      ],
      [
        'basket-invalid',
        await services.recordEarn({
          cashierId: CASHIER,
          memberId,
          basket: { currency: 'EUR', lines: [{ sku: '' }] } as never,
        }),
      ],
      [
        'phone-invalid',
        await services.recordEnroll({ cashierId: CASHIER, displayName: 'Bo C.', phone: 'abc' }),
      ],
      ['display-name', await services.recordEnroll({ cashierId: CASHIER, displayName: ' ' })],
      ['nothing-to-change', await services.recordUpdate({ cashierId: CASHIER, memberId })],
      [
        'manager-required',
        await services.recordAdjust({
          cashierId: CASHIER,
          memberId,
          managerId: CASHIER,
          points: 5,
          reasonCode: 'goodwill',
        }),
      ],
      [
        'adjust-zero',
        await services.recordAdjust({
          cashierId: CASHIER,
          memberId,
          managerId: manager,
          points: 0,
          reasonCode: 'goodwill',
        }),
      ],
      [
        'void-event-unknown',
        await services.recordVoid({
          cashierId: CASHIER,
          eventId: 'nothing',
          managerId: manager,
          reason: 'typo',
        }),
      ],
      [
        'void-reason',
        await services.recordVoid({
          cashierId: CASHIER,
          eventId: awarded.value.event.id,
          managerId: manager,
          reason: ' ',
        }),
      ],
      [
        'return-event-unknown',
        await services.recordReturn({
          cashierId: CASHIER,
          memberId,
          originalId: 'nothing',
          lines: [],
          managerId: manager,
          reason: 'broken',
        }),
      ],
      ['redemption.reward-unknown', await services.checkRedeem({ memberId, rewardId: 'nope' })],
      [
        'plan.plan-active',
        await services.recordPlanJoin({ cashierId: CASHIER, memberId, planId: 'readers-plus-annual' }),
      ],
      [
        'action.limit-reached',
        await services.recordAction({ cashierId: CASHIER, memberId, actionId: 'app' }),
      ],
    ];
    for (const [expected, result] of produced) {
      const refusal = refused(result);
      expect(refusal.say, refusal.message).toBe(expected.includes('.') ? expected : `counter.${expected}`);
      await saysInBothLanguages(refusal);
    }
  });
});

// --- Every saying has its words ---------------------------------------------------------------------------

describe('every counter saying', () => {
  /** What each of the services' messages names, as they name it (figures by saying). */
  const samples: Record<CounterSaying, Refusal['figures']> = Object.fromEntries(
    counterSayings.map((say) => [say, {}]),
  ) as Record<CounterSaying, Refusal['figures']>;
  Object.assign(samples, {
    'basket-currency': { basket: 'USD', program: 'EUR' },
    'member-inactive-earn': { status: 'blocked' },
    'phone-invalid': { raw: 'abc' },
    'card-in-use': { card: '2900001', holder: 'Ann B.' },
    'card-in-use-unnamed': { card: '2900001', holder: '' },
    'adjust-reason-code': { code: 'oops' },
    'void-not-counted': { status: 'conflict' },
    'return-not-counted': { status: 'rejected' },
    'return-program': { version: 3 },
  });

  it('has English and French words, French its own, with each figure said', async () => {
    for (const say of counterSayings) {
      const figures = samples[say] ?? {};
      const refusal: SaidRefusal = { reason: 'invalid', message: '', say: `counter.${say}`, figures };
      await speakLocale('en-IE');
      const english = refusalText(refusal);
      await speakLocale('fr-FR');
      const french = refusalText(refusal);
      expect(french, say).not.toBe(english);
      // Names and codes are said as given (a status is translated: see below).
      for (const [name, value] of Object.entries(figures))
        if (name !== 'status' && value !== '') expect(french, say).toContain(String(value));
      expect(french, say).not.toMatch(/\{\{/);
    }
    expect(missingKeys()).toEqual([]);
  });

  it('a status is said in the language: "bloqué", "conflit"', async () => {
    await speakLocale('fr-FR');
    const said = (say: CounterSaying, figures: Refusal['figures']) =>
      refusalText({ reason: 'invalid', message: '', say: `counter.${say}`, figures });
    expect(said('member-inactive-earn', { status: 'blocked' })).toBe(
      'Ce compte membre est bloqué : aucun point',
    );
    expect(said('void-not-counted', { status: 'conflict' })).toBe(
      "Cette transaction n'a pas été acceptée par le siège (conflit)",
    );
  });
});

describe('a refusal the counter has no words for', () => {
  it('keeps its English message and logs a missing translation', async () => {
    await speakLocale('fr-FR');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(refusalText({ reason: 'from-the-future', message: 'Something new' })).toBe('Something new');
    expect(warn).toHaveBeenCalledWith('missing translation: fr:refusals.reason.from-the-future');
  });

  it('with a known reason but no words, French says the reason in general terms, English the message', async () => {
    const bare: SaidRefusal = { reason: 'manager-required', message: 'A manager, please' };
    expect(refusalText(bare)).toBe('A manager, please');
    await speakLocale('fr-FR');
    expect(refusalText(bare)).toBe('Cette opération demande un responsable de ce magasin');
  });
});

describe('scan rejections, the scan before the till is ready, a field problem, a hotkey', () => {
  it('says every scan rejection in English as src-shared/scan does, and in French', async () => {
    for (const reason of REJECTION_REASONS) {
      await speakLocale('en-IE');
      expect(scanRejectionText({ reason }), reason).toBe(REJECTION_MESSAGES[reason]);
      await speakLocale('fr-FR');
      expect(scanRejectionText({ reason }), reason).not.toBe(REJECTION_MESSAGES[reason]);
    }
    expect(missingKeys()).toEqual([]);
  });

  it("answers a scan of nothing in the store's language (the classifier's rejection, said by its reason)", async () => {
    const empty = classifyFrame('', { cardPatterns: [], referenceYear: 2026 });
    expect(empty).toMatchObject({ kind: 'rejected', reason: 'empty' });
    const lookup = () => Promise.resolve({ member: null, earnOnCard: false });
    expect(await scanOutcome(empty, lookup)).toEqual({ kind: 'notice', message: REJECTION_MESSAGES.empty });
    await speakLocale('fr-FR');
    expect(await scanOutcome(empty, lookup)).toEqual({
      kind: 'notice',
      message: "Rien n'a été lu. Scannez à nouveau.",
    });
  });

  it('says the scan before the till is ready in English as before, and in French', async () => {
    expect(i18n.t('refusals.scan.notReady')).toBe(NOT_READY_FOR_SCANS);
    expect(NOT_READY_FOR_SCANS).toBe('The till is not ready for scans yet: scan again once it is.');
    await speakLocale('fr-FR');
    expect(i18n.t('refusals.scan.notReady')).toBe(
      "La caisse n'est pas encore prête pour les scans : scannez à nouveau dès qu'elle l'est.",
    );
  });

  it("says the services' field problems in words, any other in general terms in French", async () => {
    const phone = { path: 'phone', message: 'not a phone number' };
    const zod = { path: 'cards.0', message: 'Too small: expected string to have >=1 characters' };
    expect(problemText(phone)).toBe('not a phone number');
    expect(problemText(zod)).toBe(zod.message);
    await speakLocale('fr-FR');
    expect(problemText(phone)).toBe("n'est pas un numéro de téléphone");
    expect(problemText({ path: 'displayName', message: '1 to 40 characters' })).toBe('de 1 à 40 caractères');
    expect(problemText(zod)).toBe('invalide');
  });

  it('names Escape on a button in the language, a function key as it is', async () => {
    const key = (hotkey: string) =>
      /<kbd[^>]*>([^<]*)<\/kbd>/.exec(
        renderToStaticMarkup(<ActionButton hotkey={hotkey}>Back</ActionButton>),
      )?.[1];
    expect(key('Escape')).toBe('Esc');
    await speakLocale('fr-FR');
    expect(key('Escape')).toBe('Échap');
    expect(key('F2')).toBe('F2');
  });
});
