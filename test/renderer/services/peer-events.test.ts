// The store's other tills' events at this till (issue 16), against a scripted host with the store LAN: a
// peer's offline redemption for the shown member lowers the pending balance and the store's offline
// allowance left, news from main updates a member on screen, the store bound refuses (or sends to a
// manager) what this till alone would allow, a peer's event HQ already counted counts once, and without the
// LAN the till behaves exactly as before.
import { filter, firstValueFrom } from 'rxjs';
import { describe, expect, it, vi } from 'vitest';
import {
  PEER_CACHE_MEMBERS,
  PeerEvents,
  unconfirmedPeerEvents,
} from '../../../src-renderer/services/peer-events.js';
import type { ShownMember } from '../../../src-renderer/services/counter-types.js';
import type { TerminalServices } from '../../../src-renderer/services/terminal-services.js';
import { offlineBound } from '../../../src-shared/engine/offline-bound.js';
import type { PeerEventsChanged } from '../../../src-shared/ipc/lan-api.js';
import { applyEvent } from '../../../src-shared/ledger/apply-event.js';
import type { LedgerEvent } from '../../../src-shared/ledger/events.js';
import { eventFactory } from '../../support/events.js';
import { exampleProgram } from '../../support/hq.js';
import {
  TEST_CASHIER as CASHIER,
  TEST_MANAGER as MANAGER,
  type TestTerminal,
} from '../../support/terminal.js';
import { FakeHq, scriptedTill, TERMINAL } from '../support/scripted-hq.js';
import { LanHq } from '../support/scripted-lan.js';

const MEMBER = '01900000-0000-7000-8000-0000000000aa';
const PROGRAM = exampleProgram('grocery-chain');
// grocery-chain: allowance = balance capped at 1,000; one manager override cap of 500.
const TEN_OFF = 'ten-euro-off'; // 1,000 points

/** Till A of the store: it enrolled the member and earned them 2,000 points (all at HQ). */
function tillA() {
  const a = eventFactory({ terminalId: 't-a', start: Date.now() - 3_600_000 });
  const seed = [a.enrolled(MEMBER, { welcomeBonus: 0 }), a.earned(MEMBER, 2_000)];
  return { a, seed };
}

/** A peer's offline redemption of `cost` points (no manager). */
const offlineRedeem = (f: ReturnType<typeof eventFactory>, cost: number) =>
  f.redeemed(MEMBER, cost, undefined, { mode: 'offline', override: null });

const services = (t: TestTerminal): TerminalServices => t.terminal.services;

async function untilShown(
  services: TerminalServices,
  check: (shown: ShownMember) => boolean,
): Promise<ShownMember> {
  const read = await firstValueFrom(
    services.member$(MEMBER).pipe(filter((r) => r.ok && r.value !== null && check(r.value))),
  );
  if (!read.ok || !read.value) throw new Error('no member');
  return read.value;
}

/** Opens the till with the member at HQ (2,000 points, allowance 1,000), then takes HQ away. */
async function offlineTill(
  hq: FakeHq,
  open: (hq: FakeHq) => Promise<TestTerminal>,
  seed: readonly LedgerEvent[],
): Promise<TestTerminal> {
  for (const e of seed) hq.store(e);
  hq.publishMembers();
  const t = await open(hq);
  // HQ numbered the member's events 1..n: the replica holds them all.
  await untilShown(t.terminal.services, (s) => s.hq?.memberSeq === seed.length);
  hq.online = false;
  t.terminal.sync.syncNow();
  await t.until((s) => !s.online);
  return t;
}

describe("peers' events at the counter", () => {
  const { open } = scriptedTill();

  it('hands each recorded event to main at once, while HQ is out of reach and nothing is pushed', async () => {
    const hq = new LanHq(PROGRAM);
    const { seed } = tillA();
    const t = await offlineTill(hq, open, seed);
    const pushesBefore = hq.pushes.length;
    const recorded = await services(t).recordRedeem({
      cashierId: CASHIER,
      memberId: MEMBER,
      rewardId: TEN_OFF,
    });
    if (!recorded.ok) throw new Error(`not recorded: ${JSON.stringify(recorded.error)}`);
    // Recorded means handed over: no wait for the push, which HQ's absence holds back.
    expect(hq.kept).toEqual([[recorded.value.event]]);
    expect(hq.pushes.length).toBe(pushesBefore);
  });

  it("a peer's offline redemption lowers the pending balance and the store allowance left", async () => {
    const hq = new LanHq(PROGRAM);
    const { a, seed } = tillA();
    const t = await offlineTill(hq, open, seed);
    const { services } = t.terminal;
    const before = await services.member(MEMBER);
    expect(before?.balance).toEqual({ confirmed: 2_000, pending: 0, total: 2_000 });
    expect(await services.offlineBound(MEMBER)).toMatchObject({
      allowanceLeft: 1_000,
      left: 1_500,
      peers: 0,
    });

    hq.receive(offlineRedeem(a, 300));
    const after = await untilShown(services, (s) => s.balance.total !== 2_000);
    expect(after.balance).toEqual({ confirmed: 2_000, pending: -300, total: 1_700 });
    expect(after.member.balance).toBe(1_700);
    expect(await services.offlineBound(MEMBER)).toMatchObject({
      allowanceLeft: 700,
      left: 1_200,
      used: 300,
      own: 0,
      peers: 300,
      peerTerminals: 1,
    });
    // A second till's redemption adds up; an earn at a peer moves the balance, not the allowance.
    const c = eventFactory({ terminalId: 't-c' });
    hq.receive(c.redeemed(MEMBER, 150, undefined, { mode: 'offline', override: null }), c.earned(MEMBER, 40));
    const later = await untilShown(services, (s) => s.balance.total === 1_590);
    expect(later.balance.pending).toBe(-410);
    expect(await services.offlineBound(MEMBER)).toMatchObject({
      allowanceLeft: 550,
      peers: 450,
      peerTerminals: 2,
    });
  });

  it('onPeerEvents updates a shown member; a read with no news asks main nothing', async () => {
    const hq = new LanHq(PROGRAM);
    const { a, seed } = tillA();
    const t = await offlineTill(hq, open, seed);
    const { services } = t.terminal;
    const seen: number[] = [];
    const watch = services.member$(MEMBER).subscribe((r) => {
      if (r.ok && r.value) seen.push(r.value.balance.total);
    });
    try {
      await untilShown(services, () => true);
      const asked = hq.asked.filter((id) => id === MEMBER).length;
      await services.member(MEMBER);
      // Kept in memory for the shown member: no new question.
      expect(hq.asked.filter((id) => id === MEMBER).length).toBe(asked);
      hq.receive(offlineRedeem(a, 200));
      // The watching screen itself gets the new figure.
      await vi.waitFor(() => expect(seen.at(-1)).toBe(1_800));
      expect(hq.asked.filter((id) => id === MEMBER).length).toBeGreaterThan(asked);
    } finally {
      watch.unsubscribe();
    }
  });

  it("refuses, or sends to a manager, what this till alone would allow, because of a peer's redemption", async () => {
    const hq = new LanHq(PROGRAM);
    const { a, seed } = tillA();
    const t = await offlineTill(hq, open, seed);
    const { services } = t.terminal;
    // Alone, 1,000 points fit the allowance: no manager.
    const alone = await services.checkRedeem({ memberId: MEMBER, rewardId: TEN_OFF });
    expect(alone.ok && alone.value.override).toBe(null);

    hq.receive(offlineRedeem(a, 300));
    await untilShown(services, (s) => s.balance.total === 1_700);
    const needs = await services.checkRedeem({ memberId: MEMBER, rewardId: TEN_OFF });
    expect(needs.ok ? null : needs.error).toMatchObject({ reason: 'needs-manager-override', available: 700 });
    const approved = await services.recordRedeem({
      cashierId: CASHIER,
      memberId: MEMBER,
      rewardId: TEN_OFF,
      override: { managerId: MANAGER.id },
    });
    expect(approved.ok ? approved.value.event.payload.override : approved.error).toEqual({
      managerId: MANAGER.id,
      points: 300,
    });
    // The store now used 1,300 of 1,500 with 300 of the one override cap: 200 left, none without a manager.
    expect(await services.offlineBound(MEMBER)).toMatchObject({
      used: 1_300,
      own: 1_000,
      peers: 300,
      allowanceLeft: 0,
      overrideLeft: 200,
      left: 200,
    });
  });

  it('refuses outright past the store limit that this till alone would still allow with a manager', async () => {
    const hq = new LanHq(PROGRAM);
    const { a, seed } = tillA();
    const t = await offlineTill(hq, open, seed);
    const { services } = t.terminal;
    hq.receive(offlineRedeem(a, 600));
    await untilShown(services, (s) => s.balance.total === 1_400);
    const refused = await services.checkRedeem({
      memberId: MEMBER,
      rewardId: TEN_OFF,
      override: { managerId: MANAGER.id },
    });
    expect(refused.ok ? null : refused.error).toMatchObject({
      reason: 'over-offline-allowance',
      available: 900,
    });
    // Nothing recorded: the balance is the peer's only.
    const recorded = await services.recordRedeem({
      cashierId: CASHIER,
      memberId: MEMBER,
      rewardId: TEN_OFF,
      override: { managerId: MANAGER.id },
    });
    expect(recorded.ok).toBe(false);
    expect((await services.member(MEMBER))?.balance.total).toBe(1_400);
  });

  it("does not count twice a peer's event HQ already counted in the replica", async () => {
    const hq = new LanHq(PROGRAM);
    const { a, seed } = tillA();
    const counted = offlineRedeem(a, 300);
    // HQ counted the peer's redemption (the peer pushed before the outage); main holds it too.
    const t = await offlineTill(hq, open, [...seed, counted]);
    const { services } = t.terminal;
    hq.receive(counted);
    const notYet = offlineRedeem(a, 100);
    hq.receive(notYet);
    const shown = await untilShown(services, (s) => s.balance.total !== 1_700);
    // HQ's 1,700 (its allowance: 1,000, the cap) less the one HQ has not counted.
    expect(shown.balance).toEqual({ confirmed: 1_700, pending: -100, total: 1_600 });
    expect(await services.offlineBound(MEMBER)).toMatchObject({ peers: 100, allowanceLeft: 900 });
  });

  it("a till's own events that come back from a peer are not counted again", async () => {
    const hq = new LanHq(PROGRAM);
    const { seed } = tillA();
    const t = await offlineTill(hq, open, seed);
    const { services } = t.terminal;
    const mine = await services.recordRedeem({
      cashierId: CASHIER,
      memberId: MEMBER,
      rewardId: 'five-euro-off',
    });
    if (!mine.ok) throw new Error(mine.error.message);
    hq.receive(mine.value.event);
    await untilShown(services, () => true);
    expect((await services.member(MEMBER))?.balance.total).toBe(1_500);
    expect(await services.offlineBound(MEMBER)).toMatchObject({ own: 500, peers: 0, allowanceLeft: 500 });
    expect(mine.value.event.terminalId).toBe(TERMINAL);
  });

  it('LAN off (a host without the entries, or no peer events): exactly as before', async () => {
    for (const hq of [new FakeHq(PROGRAM), new LanHq(PROGRAM)]) {
      const { seed } = tillA();
      const t = await offlineTill(hq, open, seed);
      const { services } = t.terminal;
      const recorded = await services.recordRedeem({
        cashierId: CASHIER,
        memberId: MEMBER,
        rewardId: 'five-euro-off',
      });
      expect(recorded.ok).toBe(true);
      const state = await services.offlineState(MEMBER);
      if (state.online) throw new Error('online');
      const store = await services.offlineBound(MEMBER);
      expect(store).toMatchObject(offlineBound(PROGRAM, state));
      expect(store).toMatchObject({ peers: 0, own: 500, allowanceLeft: 500, left: 1_000 });
      expect((await services.member(MEMBER))?.balance).toEqual({
        confirmed: 2_000,
        pending: -500,
        total: 1_500,
      });
      const check = await services.checkRedeem({ memberId: MEMBER, rewardId: TEN_OFF });
      expect(check.ok ? null : check.error.reason).toBe('needs-manager-override');
      await t.close();
    }
  });

  it('online, HQ decides: no bound, whatever the peers did', async () => {
    const hq = new LanHq(PROGRAM);
    const { a, seed } = tillA();
    for (const e of seed) hq.store(e);
    hq.publishMembers();
    const t = await open(hq);
    const { services } = t.terminal;
    hq.receive(offlineRedeem(a, 600));
    expect(await services.offlineBound(MEMBER)).toBe(null);
    const check = await services.checkRedeem({ memberId: MEMBER, rewardId: TEN_OFF });
    expect(check.ok && check.value.mode).toBe('online');
  });
});

describe('unconfirmedPeerEvents', () => {
  it("keeps the member's peer events HQ has not counted, once each, none of this till's", () => {
    const a = eventFactory({ terminalId: 't-a' });
    const own = eventFactory({ terminalId: TERMINAL });
    const enrolled = a.enrolled(MEMBER, { welcomeBonus: 0 });
    const earned = a.earned(MEMBER, 500);
    const redeemed = a.redeemed(MEMBER, 100, undefined, { mode: 'offline', override: null });
    const mine = own.earned(MEMBER, 10);
    const elsewhere = a.enrolled('m-other');
    let hq = applyEvent(null, enrolled, PROGRAM, 1);
    hq = applyEvent(hq, earned, PROGRAM, 2);
    const kept = unconfirmedPeerEvents(hq, [enrolled, earned, redeemed, redeemed, mine, elsewhere], MEMBER, {
      terminalId: TERMINAL,
      ids: new Set(),
    });
    expect(kept).toEqual([{ event: redeemed, memberSeq: null }]);
    // No HQ document yet: nothing is counted, all the member's peer events are kept.
    expect(
      unconfirmedPeerEvents(null, [enrolled, earned], MEMBER, { terminalId: TERMINAL, ids: new Set() }),
    ).toHaveLength(2);
    // An event among this till's own ids (whatever its terminal) is the till's copy.
    expect(
      unconfirmedPeerEvents(hq, [redeemed], MEMBER, { terminalId: null, ids: new Set([redeemed.id]) }),
    ).toEqual([]);
  });
});

describe('PeerEvents', () => {
  const source = () => {
    const listeners = new Set<(m: PeerEventsChanged) => void>();
    const asked: string[] = [];
    let fail = false;
    return {
      asked,
      listeners,
      failNext: () => (fail = true),
      emit: (memberIds: string[]) => {
        for (const l of listeners) l({ memberIds });
      },
      peerEvents: (memberId: string) => {
        asked.push(memberId);
        if (fail) {
          fail = false;
          return Promise.reject(new Error('down'));
        }
        return Promise.resolve([]);
      },
      onPeerEvents: (l: (m: PeerEventsChanged) => void) => {
        listeners.add(l);
        return () => listeners.delete(l);
      },
    };
  };

  it('asks once per member, again after news of them or a failed ask, and keeps a bounded number', async () => {
    const s = source();
    const peers = new PeerEvents(s);
    await peers.events('m-1');
    await peers.events('m-1');
    expect(s.asked).toEqual(['m-1']);
    s.emit(['m-2']);
    await peers.events('m-1');
    expect(s.asked).toEqual(['m-1']);
    s.emit(['m-1']);
    await peers.events('m-1');
    expect(s.asked).toEqual(['m-1', 'm-1']);

    s.failNext();
    expect(await peers.events('m-9')).toEqual([]);
    await peers.events('m-9');
    expect(s.asked.filter((id) => id === 'm-9')).toHaveLength(2);

    for (let i = 0; i < PEER_CACHE_MEMBERS; i += 1) await peers.events(`x-${i}`);
    const before = s.asked.length;
    await peers.events('m-1'); // the oldest, dropped
    expect(s.asked.length).toBe(before + 1);
    await peers.events(`x-${PEER_CACHE_MEMBERS - 1}`); // recent, kept
    expect(s.asked.length).toBe(before + 1);
  });

  it('changed$ names only that member; close stops listening; no source: no events, no news', async () => {
    const s = source();
    const peers = new PeerEvents(s);
    const heard: string[] = [];
    const sub = peers.changed$('m-1').subscribe(() => heard.push('m-1'));
    s.emit(['m-2']);
    s.emit(['m-3', 'm-1']);
    expect(heard).toEqual(['m-1']);
    sub.unsubscribe();
    peers.close();
    expect(s.listeners.size).toBe(0);

    const none = new PeerEvents(null);
    expect(await none.events('m-1')).toEqual([]);
  });
});
