// The manager's member panels (adjust, void, return) and the plans & actions screen in French: what they
// render and the words their pure helpers return come out in the store's language, the member's name
// stays the member's own (bold, never read as markup), plurals and limit periods follow French, English
// stays word for word as before, and no key asked for is missing.
import { renderToStaticMarkup } from 'react-dom/server';
import { NEVER, of } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { AdjustPanel } from '../../../src-renderer/components/adjust-panel.js';
import { ReturnLineRow, saleText } from '../../../src-renderer/components/return-panel.js';
import { VoidPanel } from '../../../src-renderer/components/void-panel.js';
import { eventSyncStatuses } from '../../../src-renderer/db/schemas.js';
import { SessionProvider } from '../../../src-renderer/hooks/use-session.js';
import { TerminalProvider } from '../../../src-renderer/hooks/use-terminal.js';
import { i18n, missingKeys, speakLocale } from '../../../src-renderer/i18n/index.js';
import { MemberNote } from '../../../src-renderer/screens/manager-screen.js';
import {
  ActionCard,
  currentPlanText,
  durationText,
  PlanCard,
  standingText,
} from '../../../src-renderer/screens/plans-actions-screen.js';
import type { ReturnCandidate, ShownMember } from '../../../src-renderer/services/index.js';
import type { Terminal } from '../../../src-renderer/startup/index.js';
import { actionStanding } from '../../../src-shared/engine/actions.js';
import type { TerminalApi } from '../../../src-shared/ipc/index.js';
import { emptyMember, type Member } from '../../../src-shared/ledger/member.js';
import { eventFactory, testProgram } from '../../support/events.js';
import { textOf as text } from '../../support/render-text.js';

const now = Date.parse('2026-03-11T10:00:00Z');
const program = testProgram({
  timeZone: 'Europe/Paris',
  plans: [
    {
      id: 'plus',
      label: 'Readers Plus',
      fee: 2900,
      durationDays: 730,
      multiplier: 2,
      joinBonus: 500,
      perks: ['Free gift wrapping'],
    },
    { id: 'trial', label: 'Trial', fee: 0, durationDays: 1 },
  ],
  actions: [{ id: 'review', label: 'Review written', points: 25, limit: { count: 1, period: 'lifetime' } }],
});
const [plus, trial] = program.plans;
const [review] = program.actions;
if (!plus || !trial || !review) throw new Error('test program without its plans or action');

const member = (overrides: Partial<Member> = {}): Member => ({
  ...emptyMember('m-1', '2025-01-01T10:00:00Z'),
  displayName: 'Ann B.',
  balance: 1240,
  ...overrides,
});
const shown = (m: Member): ShownMember => ({
  member: m,
  hq: m,
  provisional: false,
  balance: { confirmed: m.balance, pending: 0, total: m.balance },
  pendingEvents: 0,
});
const manager = { id: 'mgr-1', name: 'Maud', role: 'manager' as const };

/**
 * The smallest terminal the adjust and void panels render against (the return panel reads the slip store,
 * which a static render cannot: its words are checked through its line row and sale text below): the program, and lists that have not answered
 * yet (a static render runs no effect, so the panels show their empty state and their form).
 */
const terminal = {
  services: {
    program$: of(program),
    currentProgram: () => program,
    voidCandidates$: () => NEVER,
  },
} as unknown as Terminal;
const api = {} as TerminalApi;

const panels = () => {
  const m = shown(member());
  return text(
    renderToStaticMarkup(
      <TerminalProvider api={api} terminal={terminal}>
        <SessionProvider>
          <AdjustPanel member={m} manager={manager} onDone={() => undefined} />
          <VoidPanel member={m} manager={manager} onDone={() => undefined} />
        </SessionProvider>
      </TerminalProvider>,
    ),
  );
};

afterEach(async () => {
  await speakLocale('en-IE');
});

describe("the manager's member panels in French", () => {
  it('words the adjust, void and return panels in French, and in English as before', async () => {
    const english = panels();
    expect(english).toContain('Adjust points Reason code Choose… Goodwill Correction Fraud Migration Other');
    expect(english).toContain('+50 adds points, -20 takes them away.');
    expect(english).toContain('Void Void reason This terminal has no transactions for this member.');

    await speakLocale('fr-FR');
    const french = panels();
    expect(french).toContain(
      'Ajuster les points Code motif Choisir… Geste commercial Correction Fraude Migration Autre',
    );
    expect(french).toContain('+50 ajoute des points, -20 en retire.');
    expect(french).toContain(
      "Annulation Motif d'annulation Cette caisse n'a aucune transaction pour ce membre.",
    );
    expect(french).not.toMatch(/\b(Adjust|Reason|Choose|Void|This terminal|member\b)/);
    // The void sheet's way out must not read as the void: in French both would otherwise be "Annuler…".
    expect(i18n.t('void.confirm')).toBe('Annuler la transaction');
    expect(i18n.t('void.keep')).not.toMatch(/annul/i);
    expect(missingKeys()).toEqual([]);
  });

  it("names the member in bold, as the member's own text, in the sentence of the language", async () => {
    const note = (name: string) =>
      renderToStaticMarkup(<MemberNote shown={shown(member({ displayName: name }))} />);
    expect(note('Ann B.')).toBe('<div class="panel-note">For <strong>Ann B.</strong>: 1,240 points</div>');
    // A name with markup-like characters is shown as typed, never turned into elements.
    expect(note('<b>Al</b> & Co')).toBe(
      '<div class="panel-note">For <strong>&lt;b&gt;Al&lt;/b&gt; &amp; Co</strong>: 1,240 points</div>',
    );
    await speakLocale('fr-FR');
    // French groups with a narrow no-break space (the store's locale, fr-FR).
    expect(note('Ann B.')).toBe(
      '<div class="panel-note">Pour <strong>Ann B.</strong> : 1\u202f240 points</div>',
    );
    expect(missingKeys()).toEqual([]);
  });

  it("words a sale's lines and where this terminal's events stand with HQ", async () => {
    const sale = eventFactory().earned('m-1', 12);
    const candidate: ReturnCandidate = {
      id: sale.id,
      terminalSeq: sale.terminalSeq,
      occurredAt: sale.occurredAt,
      status: 'posted',
      event: sale,
      lines: [],
      returnedBefore: new Map(),
      takenBefore: 0,
      program: null,
      refusal: null,
    };
    const line = {
      line: 0,
      sku: 'BT-CROISSANT',
      category: 'bakery',
      unitPrice: 180,
      sold: 3,
      returned: 1,
      returnable: 2,
    };
    const row = () =>
      renderToStaticMarkup(<ReturnLineRow line={line} currency="EUR" units={1} onChange={() => undefined} />);
    expect(saleText(candidate)).toBe('Sale €12.00 · 12 points');
    expect(text(row())).toContain('bakery · €1.80 · sold 3, returned 1 · 2 left');
    const englishStatuses = eventSyncStatuses.map((s) => i18n.t(`manager.eventStatuses.${s}`));
    expect(englishStatuses).toEqual([
      'waiting for HQ',
      'posted',
      'flagged',
      'quarantined',
      'conflict',
      'rejected',
    ]);

    await speakLocale('fr-FR');
    // French money: a decimal comma, the sign after a no-break space.
    expect(saleText(candidate)).toBe('Vente 12,00\u00a0€ · 12 points');
    const french = row();
    expect(text(french)).toContain('bakery · 1,80 € · vendu 3, retourné 1 · reste 2');
    expect(french).toContain('aria-label="Un BT-CROISSANT de moins"');
    expect(french).toContain('aria-label="BT-CROISSANT à retourner"');
    expect(french).toContain('aria-label="Un BT-CROISSANT de plus"');
    expect(french).not.toMatch(/sold|returned|left|One (less|more)/);
    expect(eventSyncStatuses.map((s) => i18n.t(`manager.eventStatuses.${s}`))).toEqual([
      'en attente du siège',
      'enregistré',
      'signalé',
      'en quarantaine',
      'conflit',
      'refusé',
    ]);
    expect(missingKeys()).toEqual([]);
  });
});

describe('the plans & actions screen in French', () => {
  it("words a plan's card, its duration and the member's plan", async () => {
    const holding = member({ plan: { id: 'plus', until: '2027-03-11T10:00:00.000Z' } });
    const card = (plan = plus) =>
      renderToStaticMarkup(
        <PlanCard plan={plan} program={program} member={holding} now={now} onSell={() => undefined} />,
      );
    const english = text(card());
    expect(english).toContain('Join bonus 500 points · ×2 points on purchases Current plan, until');
    expect([1, 2, 365, 730].map(durationText)).toEqual(['1 day', '2 days', '1 year', '2 years']);
    const englishPlan = currentPlanText(holding, program, now);
    expect(englishPlan).toMatch(/^Readers Plus until /);

    await speakLocale('fr-FR');
    const french = card();
    expect(text(french)).toContain(
      "29,00 € · 2 ans Bonus d'adhésion 500 points · ×2 points sur les achats Formule actuelle, jusqu'au 11 mars 2027",
    );
    expect(french).toContain('aria-label="Vendre Readers Plus, 29,00\u00a0€"');
    expect(french).toContain('aria-label="Avantages de Readers Plus"');
    expect(text(card(trial))).toContain("0,00 € · 1 jour Pas de bonus d'adhésion");
    // French counts 0 and 1 as singular.
    expect([0, 1, 2, 365, 730].map(durationText)).toEqual(['0 an', '1 jour', '2 jours', '1 an', '2 ans']);
    // The plan's end in French words too (the store's zone: 10:00 UTC is the 11th in Europe).
    expect(englishPlan).toBe('Readers Plus until 11 Mar 2027');
    expect(currentPlanText(holding, program, now)).toBe("Readers Plus jusqu'au 11 mars 2027");
    expect(currentPlanText(member(), program, now)).toBe('Aucune formule payante');
    expect(text(french)).not.toMatch(/Join|bonus 500|purchases|Current|until|Sell/);
    expect(missingKeys()).toEqual([]);
  });

  it("words an action's limit with the period in French", async () => {
    const fresh = actionStanding(member(), review, program.timeZone, now);
    const used = actionStanding(
      member({ actions: { review: ['2026-03-09T12:00:00.000Z'] } }),
      review,
      program.timeZone,
      now,
    );
    expect(standingText(fresh)).toBe('0 of 1 used in total');
    expect(standingText(used)).toBe('Limit reached: 1 of 1 used in total');

    await speakLocale('fr-FR');
    expect(standingText(fresh)).toBe('Utilisée 0 fois sur 1 au total');
    expect(standingText(used)).toBe('Limite atteinte : utilisée 1 fois sur 1 au total');
    const card = renderToStaticMarkup(<ActionCard standing={used} onAward={() => undefined} />);
    expect(card).toContain('aria-label="Attribuer Review written, 25 points"');
    expect(text(card)).toBe('Review written +25 points Limite atteinte : utilisée 1 fois sur 1 au total');
    expect(card).not.toMatch(/Award|Limit reached|used|in total/);
    expect(missingKeys()).toEqual([]);
  });
});
