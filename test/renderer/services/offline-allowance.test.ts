// The offline allowance: this terminal's offline redemptions HQ has not counted yet come off HQ's figure.
import { describe, expect, it } from 'vitest';
import { usedOfflinePoints } from '../../../src-renderer/services/offline-allowance.js';
import { applyEvent } from '../../../src-shared/ledger/apply-event.js';
import { eventFactory } from '../../support/events.js';
import { exampleProgram } from '../../support/hq.js';

const TERMINAL = 't-fake';

describe('offline allowance', () => {
  it("counts this terminal's offline redemptions HQ has not counted yet", () => {
    const f = eventFactory({ terminalId: TERMINAL });
    const enrolled = f.enrolled('m-1', { welcomeBonus: 1_000 });
    const offline = f.redeemed('m-1', 300, undefined, { mode: 'offline' });
    const online = f.redeemed('m-1', 200, undefined, { mode: 'online' });
    const later = f.redeemed('m-1', 100, undefined, { mode: 'offline' });
    const program = exampleProgram('grocery-chain');
    let hq = applyEvent(null, enrolled, program, 1);
    hq = applyEvent(hq, offline, program, 2);
    const events = [
      { event: enrolled, memberSeq: 1 },
      { event: offline, memberSeq: 2 },
      { event: online, memberSeq: null },
      { event: later, memberSeq: null },
    ];
    expect(usedOfflinePoints(hq, events)).toBe(100);
    expect(usedOfflinePoints(null, events)).toBe(400);
  });
});
