// The till's day close with a return in the day, against a real HQ: the points a return takes back are
// counted as points redeemed (closePointFlows), the sale's stay issued, and HQ, which applied the return at
// the same figure, agrees (a match). Also the member's balance at HQ after the close is the till's.
import { describe, expect, it } from 'vitest';
import { getMember } from '../../../src-hq/store/members.js';
import { ManualClock } from '../../../src-shared/kernel/clock.js';
import {
  TEST_CASHIER as CASHIER,
  TEST_MANAGER as MANAGER,
  connectTestLink,
  openTestTerminal,
  realHqLifecycle,
} from '../../support/terminal.js';

describe('the day close with a return', () => {
  const env = realHqLifecycle();
  const { links, tills } = env;

  it('counts the points a return takes back as redeemed, and matches HQ', async () => {
    const clock = new ManualClock(Date.parse('2025-03-04T11:00:00.000Z'));
    const link = await connectTestLink(env.hq, { name: 'Till returns' });
    links.push(link);
    const till = await openTestTerminal({ api: link.api, clock, backoff: { initialMs: 20, maxMs: 200 } });
    tills.push(till);
    await till.until((s) => s.initialDone && s.replica !== null);
    const { services } = till.terminal;

    const enrolled = await services.recordEnroll({ cashierId: CASHIER, displayName: 'Rita R.' });
    if (!enrolled.ok) throw new Error(enrolled.error.message);
    const memberId = enrolled.value.event.memberId;
    const sale = await services.recordEarn({
      cashierId: CASHIER,
      memberId,
      basket: {
        currency: 'EUR',
        lines: [
          { sku: 'GB-APPLES', category: 'fresh-produce', quantity: 2, unitPrice: 240 },
          { sku: 'GB-PASTA-SAUCE-500G', category: 'grocery', quantity: 3, unitPrice: 220 },
          { sku: 'GB-BREAD', category: 'bakery', quantity: 1, unitPrice: 310 },
        ],
      },
    });
    if (!sale.ok) throw new Error(sale.error.message);
    const returned = await services.recordReturn({
      cashierId: CASHIER,
      memberId,
      originalId: sale.value.event.id,
      lines: [{ line: 1, sku: 'GB-PASTA-SAUCE-500G', quantity: 1 }],
      managerId: MANAGER.id,
      reason: 'Damaged jar',
    });
    if (!returned.ok) throw new Error(returned.error.message);
    const back = returned.value.event.payload.points;
    expect(back).toBeGreaterThan(0);
    await till.terminal.sync.flush();

    const record = await till.terminal.closer.closeDay();
    expect(record.status).toBe('match');
    expect(record.figures).toMatchObject({
      count: 3,
      pointsIssued: enrolled.value.event.payload.welcomeBonus + sale.value.event.payload.points,
      pointsRedeemed: back,
    });
    const shown = await services.member(memberId);
    expect((await getMember(env.hq.db, memberId))?.balance).toBe(shown?.balance.total);
    expect(shown?.balance.total).toBe(
      enrolled.value.event.payload.welcomeBonus + sale.value.event.payload.points - back,
    );
  }, 60_000);
});
