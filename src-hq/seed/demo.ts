// The demo seed (`npm run hq -- seed demo`): an empty HQ becomes a small grocery chain one can try every
// screen with: 3 stores in Dublin, Cork and Galway on the GreenBasket program (examples/programs), a manager
// and two cashiers per store with printed PINs, members with EAN-13 cards in the GS1 restricted-circulation
// range 049 (never a product barcode, and what the program's default card pattern `04` recognises), about
// 100 products with valid GTINs, and a few months of purchases and redemptions.
//
// The history is what terminals would have sent: one demo till per store (enrolled like a real one, its
// token thrown away) makes sealed, hash-chained events that go through the normal push ingest, so earn
// quotes are re-checked and members projected exactly as in production. Every name, number, PIN, basket
// and event id comes from a PRNG seeded with `seed`; only the dates follow the clock (the history ends
// today). An HQ seeded before is left alone; an HQ holding other data is refused.
//
// Memory stays bounded whatever the member count: members are made a chunk at a time (5,000 by default),
// each chunk's history is pushed and dropped before the next is made, and each chunk has tills of its own
// (a till's chain must be in time order, and a chunk's events are sorted only among themselves): one till
// per store per chunk, as a larger chain has more tills. The PRNG is drawn in the same order whatever the
// chunk size, so the members, their cards and their balances are the same for a seed.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { basketSchema, type BasketLine } from '../../src-shared/engine/basket.js';
import { quote } from '../../src-shared/engine/quote.js';
import { DAY_MS, type Clock } from '../../src-shared/kernel/clock.js';
import { uuidv7Factory } from '../../src-shared/kernel/ids.js';
import { applyEvent } from '../../src-shared/ledger/apply-event.js';
import { sealEvent, type ChainHead } from '../../src-shared/ledger/chain.js';
import type { LedgerEvent, UnsealedEvent } from '../../src-shared/ledger/events.js';
import type { Member } from '../../src-shared/ledger/member.js';
import { normalisePhone, phoneLast4 } from '../../src-shared/ledger/phone.js';
import { parseProgramJson, type Program } from '../../src-shared/program/index.js';
import type { Db } from '../db/database.js';
import { withCheckDigit } from '../import/gtin.js';
import { displayName } from '../import/members.js';
import { addCashier, upsertProducts, type ProductInput } from '../store/catalog.js';
import { pushEvents } from '../store/ingest.js';
import { phoneLookupKeys } from '../store/phone-key.js';
import { publishProgram } from '../store/programs.js';
import { createStore } from '../store/stores.js';
import { createAdminToken, createEnrollmentCode, enrollTerminal } from '../store/terminals.js';

export const DEMO_PROGRAM_FILE = resolve(import.meta.dirname, '../../examples/programs/grocery-chain.json');
export const DEMO_STORES = [
  {
    id: 'dublin-grafton',
    name: 'GreenBasket Dublin, Grafton Street',
    timeZone: 'Europe/Dublin',
    country: 'IE',
  },
  { id: 'cork-patrick', name: 'GreenBasket Cork, Patrick Street', timeZone: 'Europe/Dublin', country: 'IE' },
  { id: 'galway-shop', name: 'GreenBasket Galway, Shop Street', timeZone: 'Europe/Dublin', country: 'IE' },
] as const;
/** EAN-13 card numbers: `049` + a 9-digit serial + the check digit. */
export const DEMO_CARD_PREFIX = '049';
export const DEMO_MARKER_JOB = 'seed-demo';

export interface SeedOptions {
  seed?: number;
  /** Default 3,000. */
  members?: number;
  /** How many days of history (default 120). */
  days?: number;
  /** scrypt cost of the cashier PINs (tests lower it). */
  pinCost?: number;
  /** Members made, pushed and dropped at a time, with tills of their own (default 5,000). */
  chunkMembers?: number;
  onProgress?: (message: string) => void;
}

export interface SeedSummary {
  seed: number;
  program: { id: string; version: number };
  stores: string[];
  cashiers: { storeId: string; id: string; name: string; role: 'cashier' | 'manager'; pin: string }[];
  members: number;
  events: number;
  /** Events HQ stored but flagged (a bug in the seed if not 0). */
  flagged: number;
  products: number;
  sampleCards: string[];
  adminToken: string;
  enrollment: { storeId: string; code: string; expiresAt: string };
}

export type SeedResult =
  { status: 'seeded'; summary: SeedSummary } | { status: 'already-seeded'; seededAt: string };

/** HQ holds data that is not the demo's: seeding would mix the two. */
export class SeedRefusedError extends Error {
  override readonly name = 'SeedRefusedError';
}

// ---- deterministic randomness --------------------------------------------------------------------

/** mulberry32: small, fast, and the same sequence on every platform for a seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Rng {
  next(): number;
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  bytes(n: number): Uint8Array;
}

function rngOf(seed: number): Rng {
  const next = prng(seed);
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    pick: (items) => items[Math.floor(next() * items.length)]!,
    bytes: (n) => Uint8Array.from({ length: n }, () => int(0, 255)),
  };
}

// ---- the catalog ---------------------------------------------------------------------------------

const FIRST = [
  'Aoife',
  'Ciara',
  'Niamh',
  'Saoirse',
  'Sinead',
  'Orla',
  'Grainne',
  'Roisin',
  'Emma',
  'Sarah',
  'Laura',
  'Chloe',
  'Kate',
  'Anna',
  'Maeve',
  'Clodagh',
  'Sean',
  'Conor',
  'Cian',
  'Darragh',
  'Eoin',
  'Padraig',
  'Liam',
  'Jack',
  'James',
  'Daniel',
  'Oisin',
  'Ronan',
  'Fionn',
  'Cathal',
  'Declan',
  'Michael',
  'Mark',
];
const LAST = [
  'Murphy',
  'Kelly',
  "O'Sullivan",
  'Walsh',
  'Smith',
  "O'Brien",
  'Byrne',
  'Ryan',
  "O'Connor",
  "O'Neill",
  'Reilly',
  'Doyle',
  'McCarthy',
  'Gallagher',
  'Doherty',
  'Kennedy',
  'Lynch',
  'Murray',
  'Quinn',
  'Moore',
  'McLoughlin',
  'Carroll',
  'Connolly',
  'Daly',
  'Connell',
  'Wilson',
  'Dunne',
  'Brennan',
  'Burke',
  'Collins',
];

/** [category, name, price in cents] — the grocery program's categories and promoted SKUs included. */
const PRODUCTS: readonly (readonly [string, string, number])[] = [
  ['fresh-produce', 'Bananas, loose (per kg)', 119],
  ['fresh-produce', 'Irish potatoes 2.5 kg', 299],
  ['fresh-produce', 'Carrots 1 kg', 89],
  ['fresh-produce', 'Broccoli', 99],
  ['fresh-produce', 'Apples Pink Lady x4', 279],
  ['fresh-produce', 'Cherry tomatoes 250 g', 169],
  ['fresh-produce', 'Baby spinach 200 g', 199],
  ['fresh-produce', 'Onions 1 kg', 99],
  ['fresh-produce', 'Avocados x2', 249],
  ['fresh-produce', 'Lemons x4', 149],
  ['fresh-produce', 'Strawberries 400 g', 349],
  ['fresh-produce', 'Mushrooms 250 g', 129],
  ['own-brand', 'GreenBasket porridge oats 1 kg', 189],
  ['own-brand', 'GreenBasket basmati rice 1 kg', 229],
  ['own-brand', 'GreenBasket penne 500 g', 99],
  ['own-brand', 'GreenBasket chopped tomatoes 400 g', 69],
  ['own-brand', 'GreenBasket sunflower oil 1 L', 279],
  ['own-brand', 'GreenBasket cornflakes 500 g', 179],
  ['own-brand', 'GreenBasket baked beans 420 g', 75],
  ['own-brand', 'GreenBasket kitchen roll x2', 249],
  ['own-brand', 'GreenBasket toilet tissue x9', 499],
  ['own-brand', 'GreenBasket washing-up liquid', 139],
  ['meat', 'Irish beef mince 500 g', 549],
  ['meat', 'Chicken fillets 600 g', 699],
  ['meat', 'Pork sausages x8', 329],
  ['meat', 'Back rashers 300 g', 299],
  ['meat', 'Lamb chops 400 g', 899],
  ['meat', 'Sliced ham 150 g', 229],
  ['dairy', 'Whole milk 2 L', 199],
  ['dairy', 'Irish butter 454 g', 399],
  ['dairy', 'Cheddar, mature 400 g', 449],
  ['dairy', 'Natural yogurt 500 g', 179],
  ['dairy', 'Free-range eggs x12', 389],
  ['dairy', 'Cream 250 ml', 169],
  ['bakery', 'Sliced pan white 800 g', 169],
  ['bakery', 'Brown soda bread', 219],
  ['bakery', 'Croissants x4', 249],
  ['bakery', 'Sourdough loaf', 349],
  ['bakery', 'Scones x4', 299],
  ['bakery', 'Wholemeal wraps x8', 189],
  ['frozen', 'Frozen peas 1 kg', 179],
  ['frozen', 'Fish fingers x10', 299],
  ['frozen', 'Vanilla ice cream 1 L', 349],
  ['frozen', 'Oven chips 1.5 kg', 279],
  ['frozen', 'Margherita pizza', 299],
  ['drinks', 'Sparkling water 2 L', 89],
  ['drinks', 'Orange juice 1 L', 249],
  ['drinks', 'Cola 2 L', 259],
  ['drinks', 'Ground coffee 227 g', 449],
  ['drinks', 'Barry-style tea bags x80', 329],
  ['drinks', 'Apple juice 1 L', 199],
  ['snacks', 'Crisps, cheese and onion x6', 289],
  ['snacks', 'Milk chocolate bar 200 g', 299],
  ['snacks', 'Salted peanuts 200 g', 179],
  ['snacks', 'Digestive biscuits 400 g', 149],
  ['snacks', 'Popcorn 100 g', 159],
  ['household', 'Laundry detergent 1.5 L', 799],
  ['household', 'Bin bags x20', 349],
  ['household', 'Dishwasher tablets x30', 699],
  ['household', 'All-purpose cleaner 750 ml', 249],
  ['household', 'Light bulb LED', 399],
  ['personal-care', 'Toothpaste 75 ml', 199],
  ['personal-care', 'Shampoo 400 ml', 449],
  ['personal-care', 'Hand soap 250 ml', 169],
  ['personal-care', 'Deodorant 150 ml', 299],
  ['baby', 'Baby wipes x64', 229],
  ['baby', 'Nappies size 4 x40', 1099],
  ['infant-formula', 'First infant milk 800 g', 1799],
  ['alcohol', 'Irish stout 4 x 500 ml', 849],
  ['alcohol', 'Red wine 75 cl', 1099],
  ['alcohol', 'Lager 6 x 330 ml', 999],
  ['alcohol', 'Cider 4 x 500 ml', 799],
  ['tobacco', 'Cigarettes 20', 1600],
  ['gift-cards', 'GreenBasket gift card 20 EUR', 2000],
  ['gift-cards', 'GreenBasket gift card 50 EUR', 5000],
  ['lottery', 'Lotto ticket', 250],
  ['pet', 'Dog food 2 kg', 799],
  ['pet', 'Cat litter 5 L', 449],
  ['pet', 'Cat food x12', 599],
  ['deli', 'Chicken fillet roll', 399],
  ['deli', 'Coleslaw 300 g', 149],
  ['deli', 'Hummus 200 g', 179],
  ['deli', 'Smoked salmon 100 g', 449],
  ['world-foods', 'Coconut milk 400 ml', 139],
  ['world-foods', 'Soy sauce 150 ml', 179],
  ['world-foods', 'Noodles x5', 249],
  ['world-foods', 'Tortilla chips 200 g', 189],
  ['world-foods', 'Curry paste 190 g', 219],
  ['canned', 'Tuna chunks x3', 349],
  ['canned', 'Sweetcorn 340 g', 99],
  ['canned', 'Chickpeas 400 g', 79],
  ['canned', 'Tomato soup 400 g', 119],
  ['flowers', 'Bunch of tulips', 599],
  ['flowers', 'Potted herb basil', 199],
];
const PROMOTED: readonly (readonly [string, string, string, number])[] = [
  ['GB-OAT-DRINK-1L', 'dairy-alternatives', 'Oat drink 1 L', 219],
  ['GB-PASTA-SAUCE-500G', 'own-brand', 'GreenBasket pasta sauce 500 g', 179],
  ['GB-BAG-FOR-LIFE', 'household', 'Bag for life', 100],
  ['GB-CARRIER-BAG', 'household', 'Carrier bag', 22],
];

/** About 100 products: SKUs `GB-0001`…, EAN-13 GTINs under Irish (539) and UK (50) prefixes. */
export function demoProducts(currency: string): ProductInput[] {
  const gtin = (i: number) =>
    withCheckDigit(
      i % 3 === 2
        ? `50${String(17_000_000_00 + i * 7_919).padStart(10, '0')}`
        : `539${String(412_000_000 + i * 104_729).padStart(9, '0')}`,
    );
  const products: ProductInput[] = PRODUCTS.map(([category, name, price], i) => ({
    sku: `GB-${String(i + 1).padStart(4, '0')}`,
    gtin: gtin(i),
    name,
    category,
    price,
    currency,
  }));
  PROMOTED.forEach(([sku, category, name, price], i) =>
    products.push({ sku, gtin: gtin(PRODUCTS.length + i), name, category, price, currency }),
  );
  return products;
}

/** The card number of the `n`th demo member (1-based). */
export const demoCard = (n: number): string =>
  withCheckDigit(`${DEMO_CARD_PREFIX}${String(n).padStart(9, '0')}`);

// ---- the seed ------------------------------------------------------------------------------------

async function hqState(
  db: Db,
): Promise<{ seededAt: string | null; stores: number; members: number; programs: number }> {
  const { rows } = await db.query<{
    seeded_at: string | null;
    stores: number;
    members: number;
    programs: number;
  }>(
    `SELECT (SELECT ran_at FROM job_runs WHERE job = $1 ORDER BY ran_at LIMIT 1) AS seeded_at,
            (SELECT count(*) FROM stores)::bigint AS stores, (SELECT count(*) FROM members)::bigint AS members,
            (SELECT count(*) FROM programs)::bigint AS programs`,
    [DEMO_MARKER_JOB],
  );
  return {
    seededAt: rows[0]?.seeded_at ?? null,
    stores: rows[0]?.stores ?? 0,
    members: rows[0]?.members ?? 0,
    programs: rows[0]?.programs ?? 0,
  };
}

async function demoStoresPresent(db: Db): Promise<boolean> {
  const { rows } = await db.query<{ n: number }>(
    'SELECT count(*)::bigint AS n FROM stores WHERE id = ANY($1::text[])',
    [DEMO_STORES.map((s) => s.id)],
  );
  return rows[0]?.n === DEMO_STORES.length;
}

export function loadDemoProgram(): Program {
  const parsed = parseProgramJson(readFileSync(DEMO_PROGRAM_FILE, 'utf8'));
  if (!parsed.ok) throw new Error(`the demo program ${DEMO_PROGRAM_FILE} is invalid`);
  return parsed.value;
}

interface Till {
  terminalId: string;
  storeId: string;
  /** The store's country: a member's phone is typed as it is dialled there. */
  country: string;
  cashierIds: string[];
  events: { at: number; unsealed: UnsealedEvent }[];
}

/** The demo tills of a chunk of members: one per store, enrolled like a real one (the token thrown away). */
async function demoTills(db: Db, clock: Clock, chunk: number): Promise<Till[]> {
  const tills: Till[] = [];
  for (const store of DEMO_STORES) {
    const { code } = await createEnrollmentCode(db, store.id, clock, { ttlHours: 1 });
    const { terminalId } = await enrollTerminal(db, code, `${store.id} till ${chunk} (demo history)`, clock);
    tills.push({
      terminalId,
      storeId: store.id,
      country: store.country,
      cashierIds: ['manager', 'cashier-1', 'cashier-2'].map((suffix) => `${store.id}-${suffix}`),
      events: [],
    });
  }
  return tills;
}

/** What every member's history is made from. */
interface History {
  rng: Rng;
  program: Program;
  now: number;
  days: number;
  buyable: ProductInput[];
  idAt: (at: number) => string;
}

/**
 * The `n`th member's enrollment, visits and redemptions, added to its till's events (quoted on the member
 * as HQ will project it). Answers the card, and the enrollment whose phone key is still to derive.
 */
function memberHistory(
  h: History,
  n: number,
  tills: Till[],
): { card: string; phone: { payload: { phoneHash: string | null }; phone: string } | null } {
  const { rng, program, now, days, buyable, idAt } = h;
  const till = rng.pick(tills);
  const first = rng.pick(FIRST);
  const last = rng.pick(LAST);
  const card = demoCard(n);
  const dialled = normalisePhone(
    `08${rng.int(3, 9)} ${rng.int(100, 999)} ${rng.int(1000, 9999)}`,
    till.country,
  );
  // One member in four gives a phone: each costs a slow keyed derivation (~15 ms), and the first
  // `npm start` seeds all 3,000 members.
  const phone = n % 4 === 1 ? dialled : null;
  const enrolledAt = now - rng.int(2, days) * DAY_MS + rng.int(9 * 60, 19 * 60) * 60_000 - 12 * 3_600_000;
  const memberId = idAt(enrolledAt);
  let member: Member | null = null;
  let seq = 0;
  const add = (
    at: number,
    body: Omit<
      UnsealedEvent,
      'id' | 'memberId' | 'terminalId' | 'storeId' | 'cashierId' | 'occurredAt' | 'programVersion'
    >,
  ) => {
    const unsealed = {
      ...body,
      id: idAt(at),
      memberId,
      terminalId: till.terminalId,
      storeId: till.storeId,
      cashierId: rng.pick(till.cashierIds),
      occurredAt: new Date(at).toISOString(),
      programVersion: program.version,
    } as UnsealedEvent;
    // The same projection HQ will run, so each quote is made on the member HQ will see.
    seq += 1;
    member = applyEvent(
      member,
      { ...unsealed, terminalSeq: seq, prevHash: '0'.repeat(64), hash: '0'.repeat(64) },
      program,
    );
    till.events.push({ at, unsealed });
  };
  const enrolled = {
    displayName: displayName(first, last),
    phoneHash: null as string | null,
    phoneLast4: phone ? phoneLast4(phone) : null,
    birthMonth: rng.int(1, 12),
    cards: [card],
    referredBy: null,
    welcomeBonus: program.bonuses.welcome,
    profile: {
      firstName: first,
      lastName: last,
      email: `${first}.${last.replace(/'/g, '')}${n}@example.ie`.toLowerCase(),
      phone,
    },
  };
  add(enrolledAt, { type: 'member-enrolled', payload: enrolled } as never);
  const visits = Math.floor(rng.next() ** 2 * 9);
  let at = enrolledAt;
  for (let v = 0; v < visits; v++) {
    at += rng.int(1, Math.max(1, Math.floor((now - at) / DAY_MS / 2))) * DAY_MS + rng.int(-120, 120) * 60_000;
    if (at >= now - 60_000) break;
    const lines: BasketLine[] = [];
    const used = new Set<string>();
    for (let l = rng.int(1, 8); l > 0; l--) {
      const p = rng.pick(buyable);
      if (used.has(p.sku)) continue;
      used.add(p.sku);
      lines.push({
        sku: p.sku,
        category: p.category,
        quantity: rng.int(1, 3),
        unitPrice: p.price,
        discount: 0,
      });
    }
    const basket = basketSchema.parse({ currency: program.currency, lines });
    const m = member as unknown as Member;
    const q = quote(basket, m, program, at);
    add(at, {
      type: 'points-earned',
      payload: { basket: q.summary, lines: basket.lines, points: q.points, explanation: q.explanation },
    } as never);
    const after = member as unknown as Member;
    // Now and then the member spends points on the dearest reward they can afford.
    const affordable = program.rewards.filter((r) => r.active && !r.tiers && r.cost <= after.balance);
    const reward = affordable.sort((a, b) => b.cost - a.cost)[0];
    if (reward && rng.next() < 0.3) {
      add(at + 30_000, {
        type: 'points-redeemed',
        payload: { rewardId: reward.id, quantity: 1, cost: reward.cost, mode: 'online', override: null },
      } as never);
    }
  }
  return { card, phone: phone ? { payload: enrolled, phone } : null };
}

/** Seals a till's events on its chain in time order and pushes them through ingest, 500 at a time. */
async function pushTill(db: Db, clock: Clock, till: Till): Promise<{ events: number; flagged: number }> {
  // Members shop at one store, so each member's events also reach HQ in the order they were quoted in.
  till.events.sort((a, b) => a.at - b.at);
  let head: ChainHead | null = null;
  const sealed: LedgerEvent[] = till.events.map(({ unsealed }) => {
    const e = sealEvent(unsealed, head);
    head = { terminalSeq: e.terminalSeq, hash: e.hash };
    return e;
  });
  till.events = [];
  let events = 0;
  let flagged = 0;
  for (let i = 0; i < sealed.length; i += 500) {
    const results = await pushEvents(
      db,
      { id: till.terminalId, storeId: till.storeId },
      sealed.slice(i, i + 500),
      clock,
    );
    events += results.length;
    flagged += results.filter((r) => r.status !== 'posted').length;
  }
  return { events, flagged };
}

/** Seeds an empty HQ (see the module header). */
export async function seedDemo(db: Db, clock: Clock, options: SeedOptions = {}): Promise<SeedResult> {
  const seed = options.seed ?? 1;
  const memberCount = options.members ?? 3_000;
  const days = options.days ?? 120;
  const progress = options.onProgress ?? (() => undefined);
  const state = await hqState(db);
  if (state.seededAt !== null) return { status: 'already-seeded', seededAt: state.seededAt };
  if (state.stores + state.members + state.programs > 0) {
    const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
    const held = `${count(state.stores, 'store')}, ${count(state.members, 'member')}, ${count(state.programs, 'program version')}`;
    throw new SeedRefusedError(
      state.stores > 0 && (await demoStoresPresent(db))
        ? `a previous demo seed did not finish (HQ holds ${held}): seed an empty HQ (a new HQ_DATA_DIR or database).`
        : `HQ already holds data (${held}): the demo seed only fills an empty HQ. Use a new HQ_DATA_DIR or database.`,
    );
  }
  const rng = rngOf(seed);
  const now = clock.now();
  const program = loadDemoProgram();

  progress('publishing the program');
  const published = await publishProgram(db, program);
  const products = demoProducts(program.currency);
  await upsertProducts(db, products);

  progress('stores, cashiers and tills');
  const cashiers: SeedSummary['cashiers'] = [];
  for (const store of DEMO_STORES) {
    await createStore(db, store);
    const staff = [
      { role: 'manager' as const, suffix: 'manager' },
      { role: 'cashier' as const, suffix: 'cashier-1' },
      { role: 'cashier' as const, suffix: 'cashier-2' },
    ];
    for (const s of staff) {
      const pin = String(rng.int(1000, 9999));
      const name = `${rng.pick(FIRST)} ${rng.pick(LAST).charAt(0)}.`;
      const id = `${store.id}-${s.suffix}`;
      await addCashier(
        db,
        { id, storeId: store.id, name, role: s.role, pin },
        options.pinCost === undefined ? {} : { pinCost: options.pinCost },
      );
      cashiers.push({ storeId: store.id, id, name, role: s.role, pin });
    }
  }

  progress(`${memberCount} members and their history`);
  const buyable = products.filter(
    (p) => !['gift-cards', 'lottery', 'tobacco'].includes(p.category) || rng.next() < 0.1,
  );
  const history: History = {
    rng,
    program,
    now,
    days,
    buyable,
    idAt: (at: number) => uuidv7Factory({ now: () => at }, (n) => rng.bytes(n))(),
  };
  const chunkMembers = Math.max(1, options.chunkMembers ?? 5_000);
  const sampleCards: string[] = [];
  let events = 0;
  let flagged = 0;
  for (let first = 1, chunk = 1; first <= memberCount; first += chunkMembers, chunk++) {
    const tills = await demoTills(db, clock, chunk);
    // Enrollments whose phone lookup key is derived after the chunk, all at once (scrypt on the thread pool).
    const withPhone: { payload: { phoneHash: string | null }; phone: string }[] = [];
    for (let n = first; n <= Math.min(memberCount, first + chunkMembers - 1); n++) {
      const made = memberHistory(history, n, tills);
      if (n <= 5) sampleCards.push(made.card);
      if (made.phone) withPhone.push(made.phone);
    }
    if (withPhone.length > 0) progress(`${withPhone.length} phone lookup keys`);
    const lookups = await phoneLookupKeys(
      db,
      withPhone.map((w) => w.phone),
    );
    withPhone.forEach((w, i) => (w.payload.phoneHash = lookups[i] ?? null));
    for (const till of tills) {
      const pushed = await pushTill(db, clock, till);
      events += pushed.events;
      flagged += pushed.flagged;
      progress(`${till.storeId} till ${chunk}: ${pushed.events} events`);
    }
  }

  const adminToken = await createAdminToken(db, 'demo admin');
  const firstStore = DEMO_STORES[0].id;
  const enrollment = await createEnrollmentCode(db, firstStore, clock, { ttlHours: 72 });
  const summary: SeedSummary = {
    seed,
    program: { id: published.programId, version: published.version },
    stores: DEMO_STORES.map((s) => s.id),
    cashiers,
    members: memberCount,
    events,
    flagged,
    products: products.length,
    sampleCards,
    adminToken,
    enrollment: { storeId: firstStore, ...enrollment },
  };
  await db.query(
    `INSERT INTO job_runs (job, business_day, summary, ran_at) VALUES ($1, $2::date, $3::jsonb, $4)`,
    [
      DEMO_MARKER_JOB,
      new Date(now).toISOString().slice(0, 10),
      JSON.stringify({ state: 'done', seed, members: memberCount, events, products: products.length }),
      new Date(now).toISOString(),
    ],
  );
  return { status: 'seeded', summary };
}
