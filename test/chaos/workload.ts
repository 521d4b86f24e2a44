// The chaos test's workload: terminals of one chain earning on shared members while other terminals are
// enrolling those same members, round after round, so an earn and its member's enrollment reach HQ at the
// same moment on different connections (the lost-update case). Every claim is what the program gives, so
// each member's final balance is known in advance: Σ earned − Σ voided.
import type { LedgerEvent } from '../../src-shared/ledger/events.js';
import { eventFactory, type EventFactory } from '../support/events.js';

export interface WorkloadTerminal {
  id: string;
  storeId: string;
}

export interface Workload {
  /** Per terminal, its batches in push order. */
  batches: Map<string, LedgerEvent[][]>;
  /** Every member's balance once everything is applied. */
  expected: Map<string, number>;
  events: number;
}

export interface WorkloadOptions {
  rounds: number;
  membersPerRound: number;
  earnsPerRound: number;
}

export function planWorkload(
  random: () => number,
  terminals: readonly WorkloadTerminal[],
  runId: string,
  options: WorkloadOptions,
): Workload {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const factories = new Map<string, EventFactory>(
    terminals.map((t, i) => [
      t.id,
      eventFactory({
        terminalId: t.id,
        storeId: t.storeId,
        idPrefix: (runId + i.toString(16).padStart(2, '0')).slice(-8),
        start: '2025-03-10T08:00:00.000Z',
      }),
    ]),
  );
  const batches = new Map<string, LedgerEvent[][]>(terminals.map((t) => [t.id, []]));
  const expected = new Map<string, number>();
  const earnsBy = new Map<string, LedgerEvent[]>(terminals.map((t) => [t.id, []]));
  const members: string[] = [];
  const member = (r: number, k: number) => `${runId}-m${r}-${k}`;

  // Who enrolls each member, decided up front: a till never earns on a member before it enrolls it itself
  // (it cannot know the member yet), but other tills can (the member was enrolled offline elsewhere).
  const roundMembers = (r: number) => Array.from({ length: options.membersPerRound }, (_, k) => member(r, k));
  const enroller = new Map<string, string>();
  for (let r = 0; r < options.rounds; r++)
    for (const m of roundMembers(r)) enroller.set(m, pick(terminals).id);

  for (let r = 0; r < options.rounds; r++) {
    const round = new Map<string, LedgerEvent[]>(terminals.map((t) => [t.id, []]));
    // This round's new members, each enrolled by one terminal…
    const fresh = roundMembers(r);
    for (const m of fresh) {
      const t = enroller.get(m) as string;
      round.get(t)?.push((factories.get(t) as EventFactory).enrolled(m));
      if (!expected.has(m)) expected.set(m, 0);
    }
    members.push(...fresh);
    // …while every terminal earns on members enrolled before, in this round, or the next (not yet at HQ).
    const next = r + 1 < options.rounds ? roundMembers(r + 1) : [];
    for (const t of terminals) {
      const f = factories.get(t.id) as EventFactory;
      const list = round.get(t.id) as LedgerEvent[];
      const racing = [...fresh, ...next.filter((m) => enroller.get(m) !== t.id)];
      for (let k = 0; k < options.earnsPerRound; k++) {
        const m = random() < 0.5 ? pick(racing) : pick(members);
        const points = 1 + Math.floor(random() * 40);
        const earn = f.earned(m, points);
        list.push(earn);
        (earnsBy.get(t.id) as LedgerEvent[]).push(earn);
        expected.set(m, (expected.get(m) ?? 0) + points);
      }
      // Now and then a manager voids one of this terminal's earlier earns (once each).
      const own = earnsBy.get(t.id) as LedgerEvent[];
      if (own.length > 3 && random() < 0.4) {
        const original = own.splice(Math.floor(random() * (own.length - 1)), 1)[0];
        if (original?.type === 'points-earned') {
          list.push(f.voided(original));
          expected.set(original.memberId, (expected.get(original.memberId) ?? 0) - original.payload.points);
        }
      }
    }
    for (const t of terminals) batches.get(t.id)?.push(round.get(t.id) as LedgerEvent[]);
  }
  let events = 0;
  for (const list of batches.values()) for (const b of list) events += b.length;
  return { batches, expected, events };
}
