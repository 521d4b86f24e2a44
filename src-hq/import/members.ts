// Members import (a migration from another loyalty system): one CSV row per member,
//   member_id,first_name,last_name,email,phone,birth_date|birth_month,cards,balance
// Each member is enrolled through appendHqEvents as a `member-enrolled` HQ event (welcome bonus 0, the
// profile for HQ, the phone as its keyed lookup key and last four digits, the cards), followed by a
// `points-adjusted` event (reason `migration`, manager `import`) for an opening balance. Events dated at
// import time: the opening balance starts a fresh expiry clock, and past activity is not replayed.
// A member id already at HQ, or a card another member holds, refuses the row.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Clock } from '../../src-shared/kernel/clock.js';
import { uuidv7Factory } from '../../src-shared/kernel/ids.js';
import { normalisePhone, phoneLast4 } from '../../src-shared/ledger/phone.js';
import { paymentCardIn, paymentCardLabel } from '../../src-shared/scan/payment-guard.js';
import type { Db } from '../db/database.js';
import { appendHqEvents, type HqEventDraft } from '../store/hq-events.js';
import { InvalidBatchError } from '../store/ingest.js';
import { phoneLookupKeys } from '../store/phone-key.js';
import { currentProgramRef } from '../store/programs.js';
import {
  ImportError,
  runCsvImport,
  type ImportOptions,
  type ImportReport,
  type ParsedRow,
  type RowProblem,
} from './rows.js';

export const MEMBER_COLUMNS = {
  required: ['first_name'],
  optional: ['member_id', 'last_name', 'email', 'phone', 'birth_date', 'birth_month', 'cards', 'balance'],
} as const;

/** The manager id recorded on opening-balance adjustments. */
export const IMPORT_MANAGER_ID = 'import';

export interface MemberImportOptions extends ImportOptions {
  /**
   * Country calling code for numbers written without one, e.g. `33` or `+353`. Without it only
   * international numbers (`+353…`, `00353…`) are accepted.
   */
  defaultCountryCode?: string;
}

export interface ImportedMember {
  id: string;
  displayName: string;
  firstName: string;
  lastName: string;
  email: string | null;
  /** E.164 (`+33612345678`), or null. */
  phone: string | null;
  birthMonth: number | null;
  cards: string[];
  balance: number;
}

const CARD = /^[A-Za-z0-9-]{1,64}$/;

function parseBirth(
  row: { birth_date?: string | undefined; birth_month?: string | undefined },
  ctx: z.RefinementCtx,
) {
  let fromDate: number | null = null;
  if (row.birth_date !== undefined) {
    // A full date, or a day without the year (`--07-14`, as vCard writes it).
    const m = /^(?:(\d{4})-|--)(\d{2})-(\d{2})$/.exec(row.birth_date);
    const year = m?.[1] ? Number(m[1]) : 2000;
    const month = Number(m?.[2]);
    const day = Number(m?.[3]);
    const date = new Date(Date.UTC(year, month - 1, day));
    if (!m || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
      ctx.addIssue({ code: 'custom', path: ['birth_date'], message: 'not a date YYYY-MM-DD (or --MM-DD)' });
      return null;
    }
    if (year < 1900) {
      ctx.addIssue({ code: 'custom', path: ['birth_date'], message: 'a year before 1900' });
      return null;
    }
    fromDate = month;
  }
  let fromMonth: number | null = null;
  if (row.birth_month !== undefined) {
    const n = /^\d{1,2}$/.test(row.birth_month) ? Number(row.birth_month) : NaN;
    if (!(n >= 1 && n <= 12)) {
      ctx.addIssue({ code: 'custom', path: ['birth_month'], message: 'not a month 1–12' });
      return null;
    }
    fromMonth = n;
  }
  if (fromDate !== null && fromMonth !== null && fromDate !== fromMonth) {
    ctx.addIssue({ code: 'custom', path: ['birth_month'], message: 'differs from the month of birth_date' });
    return null;
  }
  return fromDate ?? fromMonth;
}

export function memberRowSchema(defaultCountryCode: string | undefined, newId: () => string) {
  return z
    .object({
      member_id: z
        .string()
        .max(64)
        .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'letters, digits, . _ : - (at most 64)')
        // A member id is stored, replicated and quoted in messages: it must not be a payment card either.
        .refine((id) => paymentCardIn(id) === undefined, 'looks like a payment card number: never imported')
        .optional(),
      first_name: z.string().max(80),
      last_name: z.string().max(80).optional(),
      email: z.email('not an email address').max(200).optional(),
      phone: z.string().max(40).optional(),
      birth_date: z.string().optional(),
      birth_month: z.string().optional(),
      cards: z.string().max(400).optional(),
      balance: z
        .string()
        .regex(/^\d{1,12}$/, 'not a whole number of points (0 or more)')
        .transform(Number)
        .optional(),
    })
    .transform((row, ctx): ImportedMember => {
      let phone: string | null = null;
      if (row.phone !== undefined) {
        const international = /^\s*(\+|00)/.test(row.phone);
        // The country code is not used for an international number; any valid one will do.
        phone = normalisePhone(row.phone, defaultCountryCode ?? '1');
        // Never echo the number: reports end up in terminals and tickets.
        if (phone === null) ctx.addIssue({ code: 'custom', path: ['phone'], message: 'not a phone number' });
        else if (!international && defaultCountryCode === undefined) {
          phone = null;
          ctx.addIssue({
            code: 'custom',
            path: ['phone'],
            message: 'no country code: write it +<country>… or give the import a default (--country 33)',
          });
        }
      }
      const cards = [
        ...new Set(
          (row.cards ?? '')
            .split(/[;|]/)
            .map((c) => c.trim())
            .filter((c) => c !== ''),
        ),
      ];
      // The whole cell as well: `4111 1111;1111 1111` split on `;` is two harmless halves.
      const inCell = cards.some((c) => paymentCardIn(c) !== undefined)
        ? undefined
        : paymentCardIn((row.cards ?? '').replace(/[;|]/g, ' '));
      if (inCell !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['cards'],
          message: `the cards hold a payment card number (${paymentCardLabel(inCell)}): never imported or stored`,
        });
      cards.forEach((card, i) => {
        // The payment-card guard first: `4111 1111 1111 1111` must be named a payment card, not a card
        // with a space in it. The message says brand and last four, never the number.
        const payment = paymentCardIn(card);
        if (payment !== undefined)
          ctx.addIssue({
            code: 'custom',
            path: ['cards'],
            message: `card ${i + 1} (${paymentCardLabel(payment)}) is a payment card number: never imported or stored`,
          });
        else if (!CARD.test(card))
          ctx.addIssue({
            code: 'custom',
            path: ['cards'],
            message: `card ${i + 1} has characters other than letters, digits and -`,
          });
      });
      const birthMonth = parseBirth(row, ctx);
      const lastName = row.last_name ?? '';
      return {
        id: row.member_id ?? newId(),
        displayName: displayName(row.first_name, lastName),
        firstName: row.first_name,
        lastName,
        email: row.email ?? null,
        phone,
        birthMonth,
        cards,
        balance: row.balance ?? 0,
      };
    });
}

/** What the counter shows: first name and the initial of the last name, at most 40 characters. */
export function displayName(first: string, last: string): string {
  const initial = last.trim().charAt(0).toUpperCase();
  const name = first.trim().slice(0, initial ? 37 : 40);
  return initial ? `${name} ${initial}.` : name;
}

/**
 * The member-enrolled and opening-balance drafts for one imported member; `phoneLookup` is the lookup key
 * of its phone under HQ's phone key (store/phone-key.ts), null without a phone.
 */
export function memberDrafts(m: ImportedMember, phoneLookup: string | null): HqEventDraft[] {
  const drafts: HqEventDraft[] = [
    {
      type: 'member-enrolled',
      memberId: m.id,
      payload: {
        displayName: m.displayName,
        phoneHash: m.phone === null ? null : phoneLookup,
        phoneLast4: m.phone === null ? null : phoneLast4(m.phone),
        birthMonth: m.birthMonth,
        cards: m.cards,
        referredBy: null,
        welcomeBonus: 0,
        profile: { firstName: m.firstName, lastName: m.lastName, email: m.email, phone: m.phone },
      },
    },
  ];
  if (m.balance > 0) {
    drafts.push({
      type: 'points-adjusted',
      memberId: m.id,
      payload: {
        points: m.balance,
        reasonCode: 'migration',
        managerId: IMPORT_MANAGER_ID,
        note: 'Opening balance (import)',
      },
    });
  }
  return drafts;
}

/**
 * Imports members from CSV text chunks; see runCsvImport for batching and reporting. Rows are checked
 * against HQ (member id and cards not taken) and against the earlier rows of the file.
 */
export async function importMembers(
  db: Db,
  source: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>,
  clock: Clock,
  options: MemberImportOptions,
): Promise<ImportReport> {
  if (
    options.defaultCountryCode !== undefined &&
    normalisePhone('0612345678', options.defaultCountryCode) === null
  )
    throw new RangeError(
      `${JSON.stringify(options.defaultCountryCode)} is not a country calling code (e.g. 33)`,
    );
  if ((await currentProgramRef(db)) === null)
    throw new ImportError('no program is published: publish one first (members are enrolled under it)');
  const newId = uuidv7Factory(clock, (n) => randomBytes(n));

  const write = async (rows: ParsedRow<ImportedMember>[]): Promise<RowProblem[]> => {
    const refused: RowProblem[] = [];
    const ids = rows.map((r) => r.value.id);
    const cards = rows.flatMap((r) => r.value.cards);
    const [takenIds, takenCards] = await Promise.all([
      db.query<{ id: string }>('SELECT id FROM members WHERE id = ANY($1::text[])', [ids]),
      cards.length === 0
        ? Promise.resolve({ rows: [] as { number: string }[] })
        : db.query<{ number: string }>('SELECT number FROM cards WHERE number = ANY($1::text[])', [cards]),
    ]);
    const idsAtHq = new Set(takenIds.rows.map((r) => r.id));
    const cardsAtHq = new Set(takenCards.rows.map((r) => r.number));
    // Within the batch: earlier rows win (earlier batches are already at HQ).
    const batchIds = new Map<string, number>();
    const batchCards = new Map<string, number>();
    const accepted: ParsedRow<ImportedMember>[] = [];
    for (const row of rows) {
      const m = row.value;
      const reasons: string[] = [];
      if (idsAtHq.has(m.id)) reasons.push(`member ${m.id} exists already at HQ`);
      else if (batchIds.has(m.id))
        reasons.push(`member ${m.id} appears already on line ${batchIds.get(m.id)}`);
      for (const card of m.cards) {
        if (cardsAtHq.has(card)) reasons.push(`card ${card} belongs to another member already`);
        else if (batchCards.has(card))
          reasons.push(`card ${card} appears already on line ${batchCards.get(card)}`);
      }
      if (reasons.length > 0) {
        refused.push({ line: row.line, reason: reasons.join('; ') });
        continue;
      }
      batchIds.set(m.id, row.line);
      for (const card of m.cards) batchCards.set(card, row.line);
      accepted.push(row);
    }
    refused.push(...(await appendAccepted(db, accepted, clock)));
    return refused;
  };

  return runCsvImport(
    source,
    MEMBER_COLUMNS,
    memberRowSchema(options.defaultCountryCode, newId),
    write,
    options,
  );
}

/**
 * Appends the accepted rows' events in one transaction. Should HQ refuse the batch as invalid (a row the
 * checks above let through), each row is retried alone, so only the guilty rows are refused. Any other
 * failure (the database) stops the import; the batches before stay imported.
 */
async function appendAccepted(
  db: Db,
  rows: ParsedRow<ImportedMember>[],
  clock: Clock,
): Promise<RowProblem[]> {
  if (rows.length === 0) return [];
  // The batch's lookup keys at once (scrypt on node:crypto's thread pool), before the events' transaction.
  const lookups = await phoneLookupKeys(
    db,
    rows.map((r) => r.value.phone),
  );
  try {
    return refusedByHq(
      rows,
      await appendHqEvents(
        db,
        rows.flatMap((r, i) => memberDrafts(r.value, lookups[i] ?? null)),
        clock,
      ),
    );
  } catch (batchError) {
    if (!(batchError instanceof InvalidBatchError)) throw batchError;
    if (rows.length === 1)
      return [{ line: rows[0]!.line, reason: `HQ refused the member: ${(batchError as Error).message}` }];
    const refused: RowProblem[] = [];
    for (const row of rows) refused.push(...(await appendAccepted(db, [row], clock)));
    return refused;
  }
}

/** Rows whose events HQ stored but did not post (flagged or quarantined) are reported, not counted. */
function refusedByHq(
  rows: ParsedRow<ImportedMember>[],
  results: { id: string; status: string; reason: string | null }[],
): RowProblem[] {
  const refused: RowProblem[] = [];
  let i = 0;
  for (const row of rows) {
    const n = row.value.balance > 0 ? 2 : 1;
    const mine = results.slice(i, i + n);
    i += n;
    const bad = mine.find((r) => r.status !== 'posted');
    if (bad)
      refused.push({
        line: row.line,
        reason: `HQ flagged the member for review: ${bad.reason ?? bad.status}`,
      });
  }
  return refused;
}
