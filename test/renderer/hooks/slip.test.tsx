// The member's slip at the counter (src-renderer/hooks/use-slip.ts, components/slip-view.tsx): built from
// the recorded event and the member as shown after it, shown at once while main prints it, never waited
// on; a printer's refusal or a host that does not answer leaves the slip on screen with the reason. And
// the receipt printer's health in the status bar's words.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { printText, SlipView } from '../../../src-renderer/components/slip-view.js';
import { deviceTexts, printerText } from '../../../src-renderer/components/status-bar.js';
import {
  makeShownSlip,
  PRINT_NOT_SENT,
  slipShownOn,
  SlipStore,
  type ShownSlip,
} from '../../../src-renderer/hooks/use-slip.js';
import type { ShownMember } from '../../../src-renderer/services/index.js';
import { withEvent } from '../../../src-renderer/services/shown-members.js';
import type { DeviceStatus } from '../../../src-shared/ipc/index.js';
import { applyEvent } from '../../../src-shared/ledger/apply-event.js';
import { netPoints } from '../../../src-shared/ledger/member.js';
import { layoutSlip, type PrintSlipAnswer, type Slip } from '../../../src-shared/receipt/slip.js';
import { eventFactory, testProgram } from '../../support/events.js';
import { textOf } from '../../support/render-text.js';

const M = 'member-1';
const CASHIER = { id: 'c-1', name: 'Camille D.', role: 'cashier' as const };
const program = testProgram({
  rewards: [{ id: 'coffee', label: 'Free coffee', kind: 'free-product', sku: 'coffee', cost: 150 }],
});

const text = textOf;

/** A member HQ knows with 380 points, as the counter shows them. */
function knownMember() {
  const t = eventFactory({ terminalId: 'till-1', start: '2025-07-01T16:05:00.000Z' });
  const enrolled = t.enrolled(M, { displayName: 'Anna K.', cards: ['0412345678901'], welcomeBonus: 0 });
  const before = t.earned(M, 380);
  let hq = applyEvent(null, enrolled, program, 1);
  hq = applyEvent(hq, before, program, 2);
  const shown: ShownMember = {
    member: hq,
    hq,
    provisional: false,
    balance: { confirmed: 380, pending: 0, total: 380 },
    pendingEvents: 0,
  };
  return { t, shown };
}

const slipLines = (slip: Slip) => layoutSlip(slip, 42).map((l) => l.text);

/** A promise settled from outside, as main's answer arrives later. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('makeShownSlip', () => {
  it('a sale: the points earned and the new balance, pending until HQ posts it', () => {
    const { t, shown } = knownMember();
    const sale = t.earned(M, 120, undefined, { total: 12_345 });
    const after = withEvent(shown, sale, program);
    const made = makeShownSlip({ event: sale, member: after }, { program, cashier: CASHIER });
    expect(made).not.toBeNull();
    expect(made!.summary).toEqual({ kind: 'earn', points: 120, reward: null });
    expect(made!.memberId).toBe(M);
    expect(made!.cashierId).toBe('c-1');
    const lines = slipLines(made!.slip);
    expect(lines.some((l) => /^Points earned +\+120$/.test(l))).toBe(true);
    expect(lines.some((l) => /^Balance \(pending\) +500 points$/.test(l))).toBe(true);
    expect(lines).toContain('Pending: not yet confirmed by HQ.');
    expect(lines).toContain('Cashier: Camille D.');
  });

  it('a redemption: the reward and the points spent; an enrollment: the welcome bonus', () => {
    const { t, shown } = knownMember();
    const redeemed = t.redeemed(M, 150, undefined, { rewardId: 'coffee', quantity: 1 });
    const made = makeShownSlip(
      { event: redeemed, member: withEvent(shown, redeemed, program) },
      { program, cashier: CASHIER },
    );
    expect(made!.summary).toEqual({ kind: 'redeem', points: 150, reward: 'Free coffee' });
    const lines = slipLines(made!.slip);
    expect(lines.some((l) => /^Free coffee +-150$/.test(l))).toBe(true);
    expect(lines.some((l) => /^Balance \(pending\) +230 points$/.test(l))).toBe(true);

    const enrolled = t.enrolled('member-2', { displayName: 'Ben L.', welcomeBonus: 50 });
    const member = applyEvent(null, enrolled, program);
    const newcomer: ShownMember = {
      member,
      hq: null,
      provisional: true,
      balance: { confirmed: 0, pending: netPoints(member), total: netPoints(member) },
      pendingEvents: 1,
    };
    const welcome = makeShownSlip({ event: enrolled, member: newcomer }, { program, cashier: CASHIER });
    expect(welcome!.summary).toEqual({ kind: 'enroll', points: 50, reward: null });
    expect(slipLines(welcome!.slip).some((l) => /^Welcome bonus +\+50$/.test(l))).toBe(true);
  });

  it('makes nothing without a program, a member or a cashier', () => {
    const { t, shown } = knownMember();
    const sale = t.earned(M, 10);
    expect(makeShownSlip({ event: sale, member: shown }, { program: null, cashier: CASHIER })).toBeNull();
    expect(makeShownSlip({ event: sale, member: null }, { program, cashier: CASHIER })).toBeNull();
    expect(makeShownSlip({ event: sale, member: shown }, { program, cashier: null })).toBeNull();
  });
});

describe('SlipStore: shown at once, printed without waiting', () => {
  const made = () => {
    const { t, shown } = knownMember();
    const sale = t.earned(M, 120);
    return makeShownSlip(
      { event: sale, member: withEvent(shown, sale, program) },
      { program, cashier: CASHIER },
    )!;
  };

  it('shows the slip as printing before main answers, then as printed', async () => {
    const store = new SlipStore();
    const answer = deferred<PrintSlipAnswer>();
    const printed: Slip[] = [];
    let changes = 0;
    store.subscribe(() => (changes += 1));
    const slip = made();
    store.show(slip, (s) => {
      printed.push(s);
      return answer.promise;
    });
    // Nothing awaited: the slip is on screen and on its way to the printer.
    expect(store.get()).toMatchObject({ print: 'printing', memberId: M });
    expect(printed).toEqual([slip.slip]);
    answer.resolve({ printed: true, deviceId: 'printer-1' });
    await flush();
    expect(store.get()?.print).toEqual({ printed: true, deviceId: 'printer-1' });
    expect(changes).toBe(2);
  });

  it("keeps the slip on screen with the printer's reason when it does not print", async () => {
    const store = new SlipStore();
    store.show(made(), async () => ({
      printed: false,
      reason: 'paper-out',
      message: 'Not printed. Out of paper: load a new roll.',
    }));
    await flush();
    const shown = store.get()!;
    expect(shown.slip.lines.length).toBeGreaterThan(5);
    expect(shown.print).toMatchObject({ printed: false, reason: 'paper-out' });
    expect(printText(shown.print)).toEqual({
      text: 'Not printed. Out of paper: load a new roll.',
      ok: false,
    });
  });

  it('says the slip was not sent when the host does not answer (a rejection or a throw)', async () => {
    const store = new SlipStore();
    store.show(made(), () => Promise.reject(new Error('socket closed')));
    await flush();
    expect(store.get()?.print).toEqual({ printed: false, reason: 'failed', message: PRINT_NOT_SENT });
    store.show(made(), () => {
      throw new Error('no host');
    });
    await flush();
    expect(store.get()?.print).toMatchObject({ printed: false, reason: 'failed' });
  });

  it('a late answer for an older slip never changes a newer one, nor a dismissed store', async () => {
    const store = new SlipStore();
    const first = deferred<PrintSlipAnswer>();
    store.show(made(), () => first.promise);
    const second = made();
    store.show(second, () => new Promise(() => undefined));
    first.resolve({ printed: true, deviceId: 'printer-1' });
    await flush();
    expect(store.get()?.slip).toBe(second.slip);
    expect(store.get()?.print).toBe('printing');

    const third = deferred<PrintSlipAnswer>();
    store.show(made(), () => third.promise);
    store.dismiss();
    third.resolve({ printed: true, deviceId: 'printer-1' });
    await flush();
    expect(store.get()).toBeNull();
  });

  it("belongs on its member's screen, for the cashier who made it, and nowhere else", () => {
    const shown = { memberId: M, cashierId: 'c-1' };
    expect(slipShownOn(shown, { name: 'member', memberId: M }, 'c-1')).toBe(true);
    expect(slipShownOn(shown, { name: 'member', memberId: 'other' }, 'c-1')).toBe(false);
    expect(slipShownOn(shown, { name: 'member', memberId: M }, 'c-2')).toBe(false);
    expect(slipShownOn(shown, { name: 'member', memberId: M }, null)).toBe(false);
    expect(slipShownOn(shown, { name: 'sale', memberId: M }, 'c-1')).toBe(false);
    expect(slipShownOn(shown, { name: 'idle' }, 'c-1')).toBe(false);
  });
});

describe('SlipView', () => {
  const shownSlip = (): ShownSlip => {
    const { t, shown } = knownMember();
    const sale = t.earned(M, 120, undefined, { total: 12_345 });
    const made = makeShownSlip(
      { event: sale, member: withEvent(shown, sale, program) },
      { program, cashier: CASHIER },
    )!;
    return { ...made, print: 'printing' };
  };

  it('shows the lines the printer prints, and how the printing went', () => {
    const { slip } = shownSlip();
    const printing = text(renderToStaticMarkup(<SlipView slip={slip} print="printing" />));
    expect(printing).toMatch(/Points earned \+120/);
    expect(printing).toMatch(/Balance \(pending\) 500 points/);
    expect(printing).toContain('Printing…');
    const failed = text(
      renderToStaticMarkup(
        <SlipView
          slip={slip}
          print={{ printed: false, reason: 'offline', message: 'Not printed. The printer is offline.' }}
        />,
      ),
    );
    expect(failed).toContain('Not printed. The printer is offline.');
    expect(failed).toMatch(/Points earned \+120/);
  });

  it('says nothing of printing when no printer is configured', () => {
    const { slip } = shownSlip();
    const html = text(
      renderToStaticMarkup(
        <SlipView slip={slip} print={{ printed: false, reason: 'no-printer', message: 'No printer.' }} />,
      ),
    );
    expect(html).not.toMatch(/print/i);
    expect(printText({ printed: true, deviceId: 'p' })).toEqual({ text: 'Printed.', ok: true });
  });
});

describe("the receipt printer's status in the status bar", () => {
  const printer = (change: Partial<DeviceStatus>): DeviceStatus => ({
    deviceId: 'printer-1',
    role: 'printer',
    path: '/dev/ttyUSB1',
    state: 'connected',
    lastFrameAt: null,
    frames: 0,
    rejected: 0,
    errors: 0,
    lastError: null,
    ...change,
  });

  it('says ready, or what stops it in a few words with the sentence in the title', () => {
    expect(printerText(printer({}))).toEqual({ text: 'Printer ready', tone: 'ok' });
    expect(printerText(printer({ state: 'error', lastError: 'Out of paper: load a new roll.' }))).toEqual({
      text: 'Printer: out of paper',
      tone: 'bad',
      title: 'Out of paper: load a new roll.',
    });
    expect(printerText(printer({ state: 'error', lastError: 'The printer cover is open.' })).text).toBe(
      'Printer: cover open',
    );
    expect(
      printerText(printer({ state: 'error', lastError: 'The printer is offline (check its lights).' })).text,
    ).toBe('Printer: offline');
    expect(
      printerText(printer({ state: 'error', lastError: 'The printer does not answer (switched off?).' }))
        .text,
    ).toBe('Printer: not answering');
    expect(
      printerText(printer({ state: 'disconnected', lastError: 'port closed (unplugged?)' })),
    ).toMatchObject({
      text: 'Printer disconnected',
      tone: 'bad',
    });
    expect(printerText(printer({ lastError: 'Paper is running low.' }))).toMatchObject({
      text: 'Printer: paper low',
      tone: 'warn',
    });
  });

  it('lists the printer beside the scanners', () => {
    const scanner: DeviceStatus = { ...printer({}), deviceId: 'scanner-1', role: 'barcode' };
    expect(deviceTexts([scanner, printer({ state: 'error', lastError: 'Out of paper.' })])).toEqual([
      { text: 'Scanner connected', tone: 'ok' },
      { text: 'Printer: out of paper', tone: 'bad', title: 'Out of paper.' },
    ]);
  });
});
