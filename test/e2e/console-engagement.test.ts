// Re-engagement in Chromium: an admin sets the messaging tool's webhook (the secret shown once), lists the
// members whose points expire within 30 days with the reason each is in it, exports the ones who agreed
// to marketing as a CSV download (formula-safe), and sends them to a local receiver that fails the first
// attempt: HQ's worker retries after the backoff and the receiver keeps the signed batch once; the page
// shows the delivery delivered. axe finds nothing serious on either page.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverDue } from '../../src-hq/jobs/engagement-deliveries.js';
import { DAY_MS, ManualClock } from '../../src-shared/kernel/clock.js';
import { startConsole, type ConsoleHarness } from '../support/console.js';
import { testProgram } from '../support/events.js';
import { startReceiver, type Receiver } from '../hq/console/engagement-receiver.js';
import { addMember, addVisit, profileOf } from '../hq/store/engagement-fixtures.js';

const LONG = 120_000;
const NOW = Date.parse('2025-03-10T12:00:00.000Z');
let hq: ConsoleHarness;
let receiver: Receiver;
const clock = new ManualClock(NOW);

beforeAll(async () => {
  hq = await startConsole({
    clock,
    program: testProgram({
      expiry: { mode: 'rolling', months: 12 },
      rewards: [{ id: 'coffee', label: 'Free coffee', kind: 'free-product', sku: 'C', cost: 250 }],
    }),
  });
  const expiresIn = (days: number) => [
    {
      eventId: `b-${days}`,
      earnedAt: '2024-03-20T10:00:00.000Z',
      expiresAt: new Date(NOW + days * DAY_MS).toISOString(),
      points: 320,
      remaining: 320,
    },
  ];
  const members = [
    { id: 'm-ann', profile: profileOf('Ann'), consent: true, days: 10 },
    {
      id: 'm-bob',
      profile: { firstName: "=cmd|' /C calc'!A0", lastName: 'Bob', email: 'bob@example.com', phone: null },
      consent: true,
      days: 10,
    },
    { id: 'm-cat', profile: profileOf('Cat'), consent: false, days: 10 },
    { id: 'm-dan', profile: profileOf('Dan'), consent: true, days: 45 },
  ];
  for (const m of members) {
    await addMember(hq.db, {
      id: m.id,
      store: 's-1',
      balance: 320,
      batches: expiresIn(m.days),
      profile: m.profile,
      consent: m.consent,
    });
    await addVisit(hq.db, { memberId: m.id, storeId: 's-1', at: new Date(NOW - DAY_MS).toISOString() });
  }
  receiver = await startReceiver(() => clock.now());
}, LONG);

afterAll(async () => {
  await receiver?.close();
  await hq?.close();
}, LONG);

describe('re-engagement in the console', () => {
  it('an admin lists expiring points, exports CSV and sends the segment to the messaging tool', async () => {
    const page = await hq.page('admin');

    await hq.open(page, 'engagement/webhook');
    await page.getByLabel('Webhook URL').fill(receiver.url);
    await page.getByRole('button', { name: 'Set the webhook' }).click();
    const secret = page.getByTestId('webhook-secret');
    await secret.waitFor();
    receiver.secret = (await secret.textContent()) ?? '';
    expect(receiver.secret).toMatch(/^whsec_/);
    await hq.axe(page, 'engagement webhook');

    await hq.open(page, 'engagement');
    const table = page.getByRole('table', { name: /Members: Points expiring soon/ });
    await table.waitFor();
    const rows = table.getByRole('row');
    await expect.poll(() => rows.count()).toBe(4); // the header and three members
    expect(await rows.nth(1).textContent()).toContain('320 points expire on 2025-03-20');
    expect(await table.textContent()).not.toContain('Dan'); // 45 days away
    expect(await rows.filter({ hasText: 'Cat Test' }).textContent()).toContain('Not agreed');
    await hq.axe(page, 'engagement');
    await hq.photograph(page, 'engagement');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('re-engagement-expiring-2025-03-10.csv');
    const csv = readFileSync(await download.path(), 'utf8');
    expect(csv.split('\r\n').slice(1, -1)).toEqual([
      'm-ann,Ann Test,ann@example.com,,320,,s-1,expiring,320 points expire on 2025-03-20,320,2025-03-20',
      `m-bob,'=cmd|' /C calc'!A0 Bob,bob@example.com,,320,,s-1,expiring,320 points expire on 2025-03-20,320,2025-03-20`,
    ]);
    await page.getByRole('status').filter({ hasText: 'Downloaded re-engagement-expiring' }).waitFor();

    await page.getByRole('button', { name: 'Send to messaging tool' }).click();
    const dialog = page.getByRole('dialog', { name: 'Send to the messaging tool?' });
    await hq.axe(page, 'engagement send dialog');
    await dialog.getByRole('button', { name: 'Send' }).click();
    await page.getByRole('status').filter({ hasText: 'Delivery of 2 members in 1 batches made' }).waitFor();
    const deliveries = page.getByRole('table', { name: 'Deliveries, newest first' });
    expect(await deliveries.getByRole('row').nth(1).textContent()).toContain('sending');

    // HQ's worker: the receiver fails the first attempt, the retry after the backoff is kept.
    receiver.plan(503);
    const options = { backoff: { initialMs: 30_000, maxMs: 60_000, jitter: 0 } };
    expect(await deliverDue(hq.db, clock, options)).toEqual({ sent: 0, failed: 1, gaveUp: 0 });
    clock.advance(30_000);
    expect(await deliverDue(hq.db, clock, options)).toEqual({ sent: 1, failed: 0, gaveUp: 0 });
    expect(receiver.requests.map((r) => r.verified)).toEqual([true, true]);
    const [kept] = [...receiver.kept.values()];
    expect(kept?.members.map((m) => m.memberId)).toEqual(['m-ann', 'm-bob']);

    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect.poll(() => deliveries.getByRole('row').nth(1).textContent()).toMatch(/2.*1 of 1.*delivered/);
    await hq.axe(page, 'engagement delivered');

    const audit = await hq.db.query<{ action: string; outcome: string }>(
      "SELECT action, outcome FROM audit_log WHERE action LIKE 'engagement.%' ORDER BY id",
    );
    expect(audit.rows).toEqual([
      { action: 'engagement.webhook.set', outcome: 'done' },
      { action: 'engagement.export', outcome: 'done' },
      { action: 'engagement.send', outcome: 'done' },
    ]);
    expect(hq.errors(page)).toEqual([]);
    await page.context().close();
  });
});
