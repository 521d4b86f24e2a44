// HQ refuses payment cards as loyalty cards wherever a card number arrives through the terminal API: an
// enrollment, a card link, a lookup. The refusal is a 400 that names the path, the brand and the last four,
// never the number; nothing is stored and nothing is logged. On PGlite and on real PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishProgram } from '../../../src-hq/store/programs.js';
import { eventHash } from '../../../src-shared/ledger/chain.js';
import type { LedgerEvent } from '../../../src-shared/ledger/events.js';
import { errorBodySchema, pushResponseSchema } from '../../../src-shared/sync/wire.js';
import { databases, type TestDatabase } from '../../support/databases.js';
import { eventFactory, testProgram } from '../../support/events.js';
import { apiHarness, STORE_ID, type Harness } from './harness.js';

const PLACEHOLDER = '0490000000999';

/**
 * A terminal cannot seal an event carrying a payment card (the shared schema refuses it), so a forged or
 * older terminal is played here: seal with a placeholder, swap the card in, hash again.
 */
function withCard(event: LedgerEvent, card: string): LedgerEvent {
  const forged = JSON.parse(JSON.stringify(event).replaceAll(PLACEHOLDER, card)) as LedgerEvent;
  return { ...forged, hash: eventHash(forged) };
}

/** Runs of digits (dots, spaces or dashes between them) in `text` outside a `…dddd` last-four mention. */
const longDigitRuns = (text: string): string[] =>
  text
    .replace(/…\d{4}/g, '')
    .match(/\d(?:[\d .-]*\d)?/g)
    ?.filter((r) => r.replace(/\D/g, '').length > 3) ?? [];

describe.each(databases)('payment cards at HQ on %s', (_name, open) => {
  let t: TestDatabase;
  let h: Harness;

  beforeAll(async () => {
    t = await open();
    await publishProgram(t.db, testProgram());
    h = await apiHarness(t.db);
  });
  afterAll(async () => {
    await h.close();
    await t.close();
  });

  const count = async (sql: string, params: unknown[]) => (await t.db.query(sql, params)).rowCount;

  it.each([
    ['a Visa test number', '4111111111111111', 'Visa …1111'],
    ['grouped with dots', '4111.1111.1111.1111', 'Visa …1111'],
    ['with one misread digit (fails Luhn)', '4111111111111112', 'Visa …1112'],
    ['a 12-digit Maestro', '501234567890', 'Maestro …7890'],
  ])('refuses an enrollment carrying %s: 400 naming the path, nothing stored', async (_what, card, label) => {
    const { token, terminalId } = await h.enroll(`Till ${card}`);
    const f = eventFactory({ terminalId, storeId: STORE_ID });
    const memberId = `m-pan-${card.length}-${card.slice(-4)}`;
    const event = withCard(f.enrolled(memberId, { cards: [PLACEHOLDER] }), card);

    const res = await h.request({ method: 'POST', url: '/v1/events', token, payload: { events: [event] } });
    expect(res.statusCode).toBe(400);
    const body = errorBodySchema.parse(res.json());
    expect(body.problems).toEqual([
      {
        path: 'events[0].payload.cards[0]',
        message: `looks like a payment card (${label}): payment cards cannot be loyalty cards`,
      },
    ]);
    expect(res.body).not.toContain(card);
    expect(longDigitRuns(res.body)).toEqual([]);
    expect(h.logs.text).not.toContain(card.replace(/\D/g, '').slice(0, 12));

    expect(await count('SELECT 1 FROM events WHERE member_id = $1', [memberId])).toBe(0);
    expect(await count('SELECT 1 FROM events WHERE terminal_id = $1', [terminalId])).toBe(0);
    expect(await count('SELECT 1 FROM members WHERE id = $1', [memberId])).toBe(0);
    expect(await count('SELECT 1 FROM cards WHERE number = $1', [card])).toBe(0);
  });

  it('refuses linking a payment card to an enrolled member, and keeps the loyalty card', async () => {
    const { token, terminalId } = await h.enroll('Till link');
    const f = eventFactory({ terminalId, storeId: STORE_ID });
    const enrolled = f.enrolled('m-link', { cards: ['0490000000016'] });
    const first = await h.request({
      method: 'POST',
      url: '/v1/events',
      token,
      payload: { events: [enrolled] },
    });
    expect(pushResponseSchema.parse(first.json()).results.map((r) => r.status)).toEqual(['posted']);

    const link = withCard(f.updated('m-link', { addCards: [PLACEHOLDER] }), '5555 5555 5555 4444');
    const res = await h.request({ method: 'POST', url: '/v1/events', token, payload: { events: [link] } });
    expect(res.statusCode).toBe(400);
    expect(errorBodySchema.parse(res.json()).problems?.map((p) => p.path)).toEqual([
      'events[0].payload.addCards[0]',
    ]);
    expect(res.body).toContain('Mastercard …4444');
    expect(res.body).not.toContain('5555 5555 5555');

    expect(await count('SELECT 1 FROM events WHERE member_id = $1', ['m-link'])).toBe(1);
    const cards = await t.db.query<{ number: string }>('SELECT number FROM cards WHERE member_id = $1', [
      'm-link',
    ]);
    expect(cards.rows).toEqual([{ number: '0490000000016' }]);
  });

  it('refuses a lookup by payment card with a 400 that names the card query only by brand and last four', async () => {
    const { token } = await h.enroll('Till lookup');
    for (const card of ['4111111111111111', '4111 1111 1111 1111', ';4111111111111112=2512101?']) {
      const res = await h.request({
        method: 'GET',
        url: `/v1/members/lookup?card=${encodeURIComponent(card)}`,
        token,
      });
      expect(res.statusCode, card).toBe(400);
      const body = errorBodySchema.parse(res.json());
      expect(body.problems).toEqual([
        { path: 'card', message: expect.stringMatching(/^looks like a payment card \(Visa …111[12]\)/) },
      ]);
      expect(longDigitRuns(res.body)).toEqual([]);
    }
    expect(h.logs.text).not.toContain('411111111111');
    expect(h.logs.text).not.toContain('4111 1111 1111');

    // A loyalty card is still looked up.
    const ok = await h.request({ method: 'GET', url: '/v1/members/lookup?card=0490000000016', token });
    expect(ok.statusCode).toBe(200);
  });
});
