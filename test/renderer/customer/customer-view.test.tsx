// The customer-facing display in the renderer: the cashier's side makes the customer view from what the
// counter shows (src-renderer/customer/view-of.ts), and it is valid by the contract's schema, with nothing
// of the member beyond first name and points; the customer page shows it (customer-app.tsx) without a
// single control, and hears it over a socket that comes back by itself (source.ts).
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CustomerScreen,
  SHOWN_LINES,
  speakingEachView,
} from '../../../src-renderer/customer/customer-app.js';
import { socketSource } from '../../../src-renderer/customer/source.js';
import { customerViewOf, firstNameOf, nextRewardFor } from '../../../src-renderer/customer/view-of.js';
import type { SaleLine } from '../../../src-renderer/hooks/basket.js';
import type { Connect, SocketEvents } from '../../../src-renderer/transport/browser-terminal.js';
import { i18n, missingKeys, speakLocale } from '../../../src-renderer/i18n/index.js';
import { channels, customerViewSchema, type CustomerView } from '../../../src-shared/ipc/index.js';
import { emptyMember, type Member } from '../../../src-shared/ledger/member.js';
import { SILVER_GOLD_TIERS, testProgram } from '../../support/events.js';
import { SALE_VIEW } from '../../support/customer-views.js';
import { textOf } from '../../support/render-text.js';

const program = testProgram({
  name: 'Bean There Rewards',
  rewards: [
    { id: 'pastry', label: 'Free pastry', kind: 'free-product', sku: 'pastry', cost: 40 },
    { id: 'coffee', label: 'Free coffee', kind: 'free-product', sku: 'coffee', cost: 70 },
    { id: 'lounge', label: 'Gold lounge', kind: 'free-product', sku: 'lounge', cost: 50, tiers: ['gold'] },
    { id: 'old', label: 'Retired mug', kind: 'free-product', sku: 'mug', cost: 10, active: false },
  ],
  tiers: SILVER_GOLD_TIERS,
});

const member = (change: Partial<Member> = {}): Member => ({
  ...emptyMember('m-1', '2025-01-01T10:00:00Z'),
  displayName: 'Alice M.',
  cards: ['0400000010014'],
  phoneHash: 'f'.repeat(64),
  phoneLast4: '5678',
  ...change,
});

const line = (name: string, quantity: number, unitPrice: number): SaleLine => ({
  key: `sku:${name}`,
  sku: name,
  name,
  category: 'drinks',
  quantity,
  unitPrice,
  keyed: false,
});

const text = textOf;

describe('firstNameOf', () => {
  it("keeps the first name of the counter's 'First L.', and nothing that is not a plain name", () => {
    expect(firstNameOf('Alice M.')).toBe('Alice');
    expect(firstNameOf('Mary Ann K.')).toBe('Mary Ann');
    expect(firstNameOf('Chloé')).toBe('Chloé');
    expect(firstNameOf('  Jean   Luc  D. ')).toBe('Jean Luc');
    expect(firstNameOf('Alice 0612345678')).toBe('Alice');
    expect(firstNameOf('0612345678 A.')).toBeNull();
    expect(firstNameOf('alice@example.com')).toBeNull();
    expect(firstNameOf('')).toBeNull();
  });
});

describe('nextRewardFor', () => {
  it("the cheapest reward the member may take and cannot afford yet, after the sale's points", () => {
    expect(nextRewardFor(program, member(), 0)).toEqual({ label: 'Free pastry', cost: 40, missing: 40 });
    expect(nextRewardFor(program, member(), 45)).toEqual({ label: 'Free coffee', cost: 70, missing: 25 });
    // Gold-only rewards count for Gold members only; inactive ones never.
    expect(nextRewardFor(program, member({ tier: 'gold' }), 45)).toEqual({
      label: 'Gold lounge',
      cost: 50,
      missing: 5,
    });
  });

  it('the dearest one they can have when they can afford them all; none when the program has none', () => {
    expect(nextRewardFor(program, member(), 500)).toEqual({ label: 'Free coffee', cost: 70, missing: 0 });
    expect(nextRewardFor(testProgram({ rewards: [] }), member(), 500)).toBeNull();
  });
});

describe('customerViewOf', () => {
  it('a sale: first name, balance, the basket with its total, the points it earns and the next reward after it', () => {
    const view = customerViewOf({
      locale: 'en-IE',
      program,
      member: { member: member(), balance: { total: 30 } },
      sale: { memberId: 'm-1', lines: [line('Cappuccino', 2, 420), line('Croissant', 1, 180)], points: 20 },
      done: null,
    });
    expect(view).toEqual({
      locale: 'en-IE',
      programName: 'Bean There Rewards',
      member: {
        firstName: 'Alice',
        balance: 30,
        nextReward: { label: 'Free coffee', cost: 70, missing: 20 },
      },
      sale: {
        currency: 'EUR',
        lines: [
          { name: 'Cappuccino', quantity: 2, total: 840 },
          { name: 'Croissant', quantity: 1, total: 180 },
        ],
        total: 1020,
        points: 20,
      },
      done: null,
    });
    expect(customerViewSchema.parse(view)).toEqual(view);
  });

  it('carries nothing else of the member: no card, phone, id, last name or tier', () => {
    const view = customerViewOf({
      locale: 'en-IE',
      program,
      member: { member: member({ tier: 'gold' }), balance: { total: 30 } },
      sale: null,
      done: { kind: 'earn', points: 12, reward: null },
    });
    const json = JSON.stringify(view);
    for (const secret of ['0400000010014', '5678', 'f'.repeat(64), 'm-1', 'M.', 'gold', '2025-01-01']) {
      expect(json, secret).not.toContain(secret);
    }
    expect(customerViewSchema.safeParse(view).success).toBe(true);
  });

  it('nobody at the counter: the welcome, with the program name once there is a program', () => {
    expect(customerViewOf({ locale: 'en-IE', program: null, member: null, sale: null, done: null })).toEqual({
      locale: 'en-IE',
      programName: null,
      member: null,
      sale: null,
      done: null,
    });
    expect(
      customerViewOf({ locale: 'en-IE', program, member: null, sale: null, done: null }).programName,
    ).toBe('Bean There Rewards');
  });

  it('a basket longer than the screen: its latest lines, the whole total; still valid', () => {
    const lines = Array.from({ length: 130 }, (_, i) => line(`Item ${i}`, 1, 100));
    const view = customerViewOf({
      locale: 'en-IE',
      program,
      member: { member: member(), balance: { total: 0 } },
      sale: { memberId: 'm-1', lines, points: null },
      done: null,
    });
    expect(view.sale?.lines).toHaveLength(100);
    expect(view.sale?.lines[0]?.name).toBe('Item 30');
    expect(view.sale?.total).toBe(13_000);
    expect(view.sale?.points).toBeNull();
    expect(customerViewSchema.safeParse(view).success).toBe(true);
  });
});

describe('the customer screen', () => {
  const saleView = SALE_VIEW;

  it('shows the basket, its total, the points it earns, the balance and the next reward', () => {
    const shown = text(renderToStaticMarkup(<CustomerScreen view={saleView} connected />));
    expect(shown).toContain('Hello, Alice');
    expect(shown).toContain('1,240');
    // Money in the store's locale (en-IE until the counter says otherwise).
    expect(shown).toMatch(/Cappuccino × 2 €8\.40/);
    expect(shown).toMatch(/Croissant €1\.80/);
    expect(shown).toMatch(/Total €10\.20/);
    expect(shown).toContain('This purchase earns 20 points · then 1,260 points');
    expect(shown).toContain('60 points to go for Free coffee');
  });

  it('has nothing to press or type: no button, no field, no PIN pad', () => {
    for (const view of [null, saleView, { ...saleView, sale: null }]) {
      const html = renderToStaticMarkup(<CustomerScreen view={view} connected />);
      expect(html).not.toMatch(/<(button|input|select|textarea|form)\b/);
      expect(html).not.toMatch(/PIN/);
    }
  });

  it('the welcome while nobody is served; a thank-you after a recording; the latest lines of a long basket', () => {
    expect(text(renderToStaticMarkup(<CustomerScreen view={null} connected={false} />))).toContain('Welcome');
    const thanked = text(
      renderToStaticMarkup(
        <CustomerScreen
          view={{ ...saleView, sale: null, done: { kind: 'earn', points: 20, reward: null } }}
          connected
        />,
      ),
    );
    expect(thanked).toContain('Thank you! You earned 20 points.');
    const redeemed = text(
      renderToStaticMarkup(
        <CustomerScreen
          view={{ ...saleView, sale: null, done: { kind: 'redeem', points: 70, reward: 'Free coffee' } }}
          connected
        />,
      ),
    );
    expect(redeemed).toContain('Enjoy your reward: Free coffee.');
    const lines = Array.from({ length: 12 }, (_, i) => ({ name: `Item ${i}`, quantity: 1, total: 100 }));
    const long = text(
      renderToStaticMarkup(
        <CustomerScreen view={{ ...saleView, sale: { ...saleView.sale!, lines, points: null } }} connected />,
      ),
    );
    expect(long).toContain(`${12 - SHOWN_LINES} more items above`);
    expect(long).not.toContain('Item 3 ');
    expect(long).toContain('Item 11');
    expect(long).toContain('Counting your points…');
  });
});

describe('the customer screen in the store’s language', () => {
  afterEach(async () => {
    await speakLocale('en-IE');
  });

  // What the customer display said in English before it spoke the store's language.
  const ENGLISH =
    /Welcome|Show your|loyalty card|Hello|Your points|Your purchase|This purchase|earns|then|to go for|You can have|ask at the counter|Thank you|You earned|Enjoy|aboard|Counting|Nothing scanned|more items?|above|Basket|Loyalty/;

  it('carries the locale the counter speaks; the schema refuses one the counter cannot speak', () => {
    const view = customerViewOf({ locale: 'fr-FR', program, member: null, sale: null, done: null });
    expect(view.locale).toBe('fr-FR');
    expect(customerViewSchema.safeParse(view).success).toBe(true);
    for (const locale of ['de-DE', 'fr', 'FR-fr', '']) {
      expect(customerViewSchema.safeParse({ ...view, locale }).success, locale).toBe(false);
    }
    const { locale: _dropped, ...withoutLocale } = view;
    expect(customerViewSchema.safeParse(withoutLocale).success).toBe(false);
  });

  it('the page speaks the locale of each view it hears, before handing the view on', () => {
    const handed: { view: CustomerView; language: string }[] = [];
    const hear = speakingEachView((view) => handed.push({ view, language: i18n.language }));
    const french: CustomerView = { ...SALE_VIEW, locale: 'fr-BE' };
    hear(french);
    hear(SALE_VIEW);
    expect(handed).toEqual([
      { view: french, language: 'fr' },
      { view: SALE_VIEW, language: 'en' },
    ]);
  });

  it('in French: the welcome, the member and the sale, the thank-yous, the next reward; no English, no key missing', async () => {
    await speakLocale('fr-FR');
    const view: CustomerView = { ...SALE_VIEW, locale: 'fr-FR' };
    const screens = [
      renderToStaticMarkup(<CustomerScreen view={null} connected />),
      renderToStaticMarkup(<CustomerScreen view={{ ...view, member: null, sale: null }} connected />),
      renderToStaticMarkup(<CustomerScreen view={view} connected />),
      renderToStaticMarkup(
        <CustomerScreen
          view={{
            ...view,
            member: {
              ...view.member!,
              firstName: null,
              nextReward: { label: 'Free coffee', cost: 70, missing: 0 },
            },
            sale: {
              ...view.sale!,
              lines: Array.from({ length: SHOWN_LINES + 3 }, (_, i) => ({
                name: `Item ${i}`,
                quantity: 1,
                total: 100,
              })),
              points: null,
            },
          }}
          connected
        />,
      ),
      renderToStaticMarkup(
        <CustomerScreen view={{ ...view, sale: { ...view.sale!, lines: [] } }} connected />,
      ),
      ...(['earn', 'redeem', 'enroll'] as const).map((kind) =>
        renderToStaticMarkup(
          <CustomerScreen
            view={{ ...view, sale: null, done: { kind, points: kind === 'enroll' ? 0 : 20, reward: null } }}
            connected
          />,
        ),
      ),
      renderToStaticMarkup(
        <CustomerScreen
          view={{ ...view, sale: null, done: { kind: 'enroll', points: 50, reward: null } }}
          connected
        />,
      ),
      renderToStaticMarkup(
        <CustomerScreen
          view={{ ...view, sale: null, done: { kind: 'redeem', points: 70, reward: 'Free coffee' } }}
          connected
        />,
      ),
    ];
    const [idle, welcome, sale, long, empty, earned, redeemed, enrolled, enrolledBonus, redeemedCoffee] =
      screens.map(text);
    expect(screens[0]).toContain('aria-label="Écran client"');
    expect(idle).toContain('Fidélité');
    expect(idle).toContain('Bienvenue');
    expect(idle).toContain('Présentez votre carte de fidélité pour cumuler des points sur cet achat.');
    expect(welcome).toContain('Bienvenue chez Bean There Rewards');
    expect(sale).toContain('Bonjour Alice');
    expect(sale).toContain('Vos points');
    expect(sale).toContain('Votre achat');
    expect(sale).toContain('Cet achat vous rapporte 20 points');
    expect(sale).toContain('· ensuite');
    expect(sale).toContain('Encore 60 points pour Free coffee');
    expect(screens[2]).toContain('aria-label="Panier"');
    expect(screens[2]).toContain('aria-label="Points gagnés avec cet achat"');
    expect(screens[2]).toContain('aria-label="Prochaine récompense"');
    expect(long).toContain('3 autres articles plus haut');
    expect(long).toContain('Calcul de vos points…');
    expect(long).toMatch(/Vous pouvez obtenir Free coffee \( ?70 points ?\) : demandez en caisse/);
    expect(long).toMatch(/^Bean There Rewards Bonjour Vos points/);
    expect(empty).toContain('Aucun article scanné pour le moment.');
    expect(earned).toContain('Merci ! Vous avez gagné 20 points.');
    expect(redeemed).toContain('Profitez bien de votre récompense.');
    expect(enrolled).toContain('Bienvenue parmi nous !');
    expect(enrolledBonus).toContain('Bienvenue parmi nous ! 50 points pour commencer.');
    expect(redeemedCoffee).toContain('Profitez bien de votre récompense : Free coffee.');
    for (const [i, shown] of screens.map(text).entries()) {
      // The reward's name and the products are HQ's words, not the counter's.
      const counterWords = shown.replace(/Free coffee|Bean There Rewards|Cappuccino|Croissant|Item \d+/g, '');
      expect(counterWords, String(i)).not.toMatch(ENGLISH);
    }
    expect(missingKeys()).toEqual([]);
  });

  it("a reward's name is shown as it is, never read as markup", async () => {
    await speakLocale('fr-FR');
    const label = '<strong>Café</strong> & <points/>';
    const html = renderToStaticMarkup(
      <CustomerScreen
        view={{
          ...SALE_VIEW,
          locale: 'fr-FR',
          member: { ...SALE_VIEW.member!, nextReward: { label, cost: 1300, missing: 60 } },
        }}
        connected
      />,
    );
    expect(html).toContain('&lt;strong&gt;Café&lt;/strong&gt; &amp; &lt;points/&gt;');
    expect(text(html)).toContain(`Encore 60 points pour ${label}`);
  });
});

describe("the customer page's socket", () => {
  it('delivers valid views only, and comes back by itself when the socket drops', async () => {
    const sockets: SocketEvents[] = [];
    const connect: Connect = (_url, events) => {
      sockets.push(events);
      queueMicrotask(() => events.onOpen());
      return { send: () => undefined, close: () => events.onClose() };
    };
    const source = socketSource('ws://127.0.0.1:1/customer-view', {
      connect,
      reconnectMs: { initial: 1, max: 5 },
    });
    const heard: CustomerView[] = [];
    const connection: boolean[] = [];
    source.onView((v) => heard.push(v));
    source.onConnection((c) => connection.push(c));
    await expect.poll(() => connection.at(-1)).toBe(true);
    const good: CustomerView = { locale: 'en-IE', programName: 'P', member: null, sale: null, done: null };
    sockets[0]!.onMessage(JSON.stringify({ channel: channels.customerView, payload: good }));
    sockets[0]!.onMessage(
      JSON.stringify({ channel: channels.customerView, payload: { ...good, phone: '1' } }),
    );
    sockets[0]!.onMessage(JSON.stringify({ channel: channels.scan, payload: good }));
    sockets[0]!.onMessage('not json');
    expect(heard).toEqual([good]);
    sockets[0]!.onClose();
    expect(connection.at(-1)).toBe(false);
    await expect.poll(() => sockets.length).toBe(2);
    await expect.poll(() => connection.at(-1)).toBe(true);
    source.close();
  });
});
