import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src-shared/kernel/clock.js';
import { normalisePhone, phoneHash, phoneLookupKey } from '../../../src-shared/ledger/phone.js';
import { importMembers, IMPORT_MANAGER_ID } from '../../../src-hq/import/members.js';
import { CsvFileError, ImportError } from '../../../src-hq/import/rows.js';
import { getMember } from '../../../src-hq/store/members.js';
import { getPhoneKey } from '../../../src-hq/store/phone-key.js';
import { publishProgram } from '../../../src-hq/store/programs.js';
import { databases, pgliteDatabase, type TestDatabase } from '../../support/databases.js';
import { testProgram } from '../../support/events.js';

const clock = new ManualClock(Date.parse('2026-03-10T10:00:00Z'));

const HEADER = 'member_id,first_name,last_name,email,phone,birth_date,cards,balance';

describe.each(databases)('members import on %s', { timeout: 60_000 }, (_name, open) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await open();
    await publishProgram(t.db, testProgram());
  }, 60_000);
  afterAll(async () => t?.close(), 60_000);

  it('keeps good rows and reports each bad one with its line and reason', async () => {
    const csv = [
      HEADER,
      'm-1,Ada,Lovelace,ada@example.com,06 12 34 56 78,1985-12-10,0490000000016,250', // 2 good, opening balance
      'm-2,Grace,Hopper,,+1 202 555 0143,,0490000000023;0490000000030,', // 3 good, two cards
      'm-3,Bad,Phone,,12ab,,,', // 4 bad phone
      'm-4,Dup,Card,,,,0490000000023,', // 5 card taken by line 3
      'm-5,Too,Few,,', // 6 missing columns
      'm-6,Bad,Date,,,1990-02-30,,', // 7 no such date
      'm-7,Bad,Number,,,,,12.5', // 8 not a whole number
      'm-8,"Quote, with comma",Ok,,,--07-14,,0', // 9 good, birthday without a year
      'm-9,No,Email,not-an-email,,,,', // 10 bad email
      'm-10,Pay,Card,,,,4111111111111111,', // 11 a payment card number
      ',,Nameless,,,,,', // 12 first name missing
      '',
    ].join('\n');
    const report = await importMembers(t.db, [csv], clock, { defaultCountryCode: '33', batchSize: 3 });
    expect(report.problems.map((p) => p.line)).toEqual([4, 5, 6, 7, 8, 10, 11, 12]);
    const reason = (line: number) => report.problems.find((p) => p.line === line)?.reason;
    expect(reason(4)).toBe('phone: not a phone number');
    expect(reason(5)).toBe('card 0490000000023 appears already on line 3');
    expect(reason(6)).toMatch(/expected 8 fields .*found 5/);
    expect(reason(7)).toMatch(/birth_date: not a date/);
    expect(reason(8)).toMatch(/balance: not a whole number/);
    expect(reason(10)).toMatch(/email: not an email/);
    expect(reason(11)).toMatch(/payment card number: never imported/);
    expect(reason(11)).not.toContain('4111111111111111');
    expect(reason(12)).toBe('first_name: is required');
    expect(report).toMatchObject({ rowsRead: 11, imported: 3, rejected: 8 });

    // The database holds exactly the good rows.
    const ada = await getMember(t.db, 'm-1');
    expect(ada).toMatchObject({
      displayName: 'Ada L.',
      cards: ['0490000000016'],
      birthMonth: 12,
      balance: 250,
      // The keyed lookup key under HQ's phone key, not the legacy unkeyed hash.
      phoneHash: await phoneLookupKey(normalisePhone('0612345678', '33')!, await getPhoneKey(t.db)),
      phoneLast4: '5678',
    });
    expect(ada?.phoneHash).not.toBe(phoneHash(normalisePhone('0612345678', '33')!));
    expect((await getMember(t.db, 'm-2'))?.cards).toEqual(['0490000000023', '0490000000030']);
    expect((await getMember(t.db, 'm-8'))?.birthMonth).toBe(7);
    const members = await t.db.query<{ id: string }>('SELECT id FROM members ORDER BY id');
    expect(members.rows.map((r) => r.id)).toEqual(['m-1', 'm-2', 'm-8']);
    const cards = await t.db.query<{ number: string; member_id: string }>(
      'SELECT number, member_id FROM cards ORDER BY number',
    );
    expect(cards.rows).toEqual([
      { number: '0490000000016', member_id: 'm-1' },
      { number: '0490000000023', member_id: 'm-2' },
      { number: '0490000000030', member_id: 'm-2' },
    ]);
    const profile = await t.db.query(
      'SELECT first_name, last_name, email, phone FROM member_profiles WHERE member_id = $1',
      ['m-1'],
    );
    expect(profile.rows[0]).toEqual({
      first_name: 'Ada',
      last_name: 'Lovelace',
      email: 'ada@example.com',
      phone: '+33612345678',
    });
    const events = await t.db.query<{
      type: string;
      member_id: string;
      terminal_id: string;
      body: { payload: Record<string, unknown> };
    }>('SELECT type, member_id, terminal_id, body FROM events ORDER BY terminal_seq');
    expect(events.rows.map((e) => `${e.member_id}:${e.type}`)).toEqual([
      'm-1:member-enrolled',
      'm-1:points-adjusted',
      'm-2:member-enrolled',
      'm-8:member-enrolled',
    ]);
    expect(events.rows.every((e) => e.terminal_id === 'hq')).toBe(true);
    expect(events.rows[0]?.body.payload).toMatchObject({ welcomeBonus: 0, referredBy: null });
    expect(events.rows[1]?.body.payload).toMatchObject({
      points: 250,
      reasonCode: 'migration',
      managerId: IMPORT_MANAGER_ID,
    });
  });

  it('refuses a member id or a card HQ already has, and a number without a country code when none is given', async () => {
    const csv = [
      'member_id,first_name,cards,phone',
      'm-1,Again,,',
      'm-20,Thief,0490000000016,',
      'm-21,National,,0612345678',
      'm-22,International,,+353 87 123 4567',
    ].join('\r\n');
    const report = await importMembers(t.db, [csv], clock, {});
    expect(report.problems).toEqual([
      { line: 2, reason: 'member m-1 exists already at HQ' },
      { line: 3, reason: 'card 0490000000016 belongs to another member already' },
      { line: 4, reason: expect.stringMatching(/^phone: no country code/) },
    ]);
    expect((await getMember(t.db, 'm-22'))?.phoneLast4).toBe('4567');
    expect((await getMember(t.db, 'm-1'))?.displayName).toBe('Ada L.');
  });

  it('refuses payment card numbers however they are written, with the line, never the number', async () => {
    const csv = [
      'member_id,first_name,cards',
      'p-1,Dashed,4111-1111-1111-1111', // 2 grouped with dashes: fits the card column's characters
      'p-2,Misread,4111111111111112', // 3 one misread digit: fails Luhn
      'p-3,Maestro,501234567890', // 4 a 12-digit Maestro
      'p-4,Second,0490000000047;5555 5555 5555 4444', // 5 the second card of two
      'p-5,Split,4111 1111;1111 1111', // 6 a number split across two cells of the list
      '4111111111111111,Id,', // 7 as the member id
      'p-7,Good,0490000000054', // 8 a store card: imported
    ].join('\n');
    const report = await importMembers(t.db, [csv], clock, {});
    const reasons = new Map(report.problems.map((p) => [p.line, p.reason]));
    expect([...reasons.keys()]).toEqual([2, 3, 4, 5, 6, 7]);
    expect(reasons.get(2)).toBe(
      'cards: card 1 (Visa …1111) is a payment card number: never imported or stored',
    );
    expect(reasons.get(3)).toMatch(/^cards: card 1 \(Visa …1112\) is a payment card number/);
    expect(reasons.get(4)).toMatch(/^cards: card 1 \(Maestro …7890\) is a payment card number/);
    expect(reasons.get(5)).toMatch(/^cards: card 2 \(Mastercard …4444\) is a payment card number/);
    expect(reasons.get(6)).toMatch(/^cards: the cards hold a payment card number \(Visa …1111\)/);
    expect(reasons.get(7)).toMatch(/^member_id: looks like a payment card number/);
    for (const reason of reasons.values()) expect(reason.replace(/…\d{4}/g, '')).not.toMatch(/\d{5}/);
    expect(report).toMatchObject({ rowsRead: 7, imported: 1, rejected: 6 });

    const members = await t.db.query<{ id: string }>(
      "SELECT id FROM members WHERE id LIKE 'p-%' OR id LIKE '4%'",
    );
    expect(members.rows.map((r) => r.id)).toEqual(['p-7']);
    const cards = await t.db.query<{ number: string }>(
      "SELECT number FROM cards WHERE number LIKE '4%' OR number LIKE '5%' OR number = '0490000000047'",
    );
    expect(cards.rows).toEqual([]);
  });

  it('does not quote a payment card pasted into the header row', async () => {
    const attempt = importMembers(t.db, ['first_name,4111 1111 1111 1111\nA,B\n'], clock, {});
    await expect(attempt).rejects.toThrow(/a column name looks like a payment card \(Visa …1111\)/);
    await expect(attempt).rejects.not.toThrow(/4111_1111/);
  });

  it('refuses a file with a wrong header', async () => {
    await expect(importMembers(t.db, ['first,last\nA,B\n'], clock, {})).rejects.toThrow(CsvFileError);
    await expect(importMembers(t.db, ['last_name\nB\n'], clock, {})).rejects.toThrow(
      /missing column first_name/,
    );
  });
});

describe('members import, streamed', { timeout: 60_000 }, () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await pgliteDatabase();
  }, 60_000);
  afterAll(async () => t?.close(), 60_000);

  it('refuses to start before a program is published', async () => {
    await expect(importMembers(t.db, ['first_name\nA\n'], clock, {})).rejects.toThrow(ImportError);
    await publishProgram(t.db, testProgram());
  });

  it('imports 20,000 generated rows batch by batch while the file is still being read', async () => {
    const ROWS = 20_000;
    let generated = 0;
    // A lazy source: rows are made only when the importer asks for the next chunk.
    async function* file(): AsyncGenerator<string> {
      yield 'member_id,first_name,last_name,cards,balance\n';
      for (let chunk = 0; chunk < ROWS / 100; chunk++) {
        let text = '';
        for (let i = 0; i < 100; i++) {
          generated += 1;
          const n = generated;
          text += `s-${n},Member${n},Stream,card-${n},${n % 7 === 0 ? 100 : ''}\n`;
        }
        yield text;
      }
    }
    const seenAtBatch: number[] = [];
    const report = await importMembers(t.db, file(), clock, {
      batchSize: 500,
      onProgress: (p) => {
        seenAtBatch.push(generated);
        expect(p.imported).toBe(p.batch * 500);
      },
    });
    expect(report).toMatchObject({ rowsRead: ROWS, imported: ROWS, rejected: 0, batches: ROWS / 500 });
    // Each batch was written when at most one more chunk than it needed had been generated.
    seenAtBatch.forEach((rows, i) => expect(rows).toBeLessThanOrEqual((i + 1) * 500 + 100));
    expect(seenAtBatch[0]).toBeLessThan(ROWS / 10);
    const { rows } = await t.db.query<{ n: number; points: number }>(
      "SELECT count(*)::bigint AS n, coalesce(sum(balance), 0)::bigint AS points FROM members WHERE id LIKE 's-%'",
    );
    expect(rows[0]).toEqual({ n: ROWS, points: Math.floor(ROWS / 7) * 100 });
  }, 120_000);
});
