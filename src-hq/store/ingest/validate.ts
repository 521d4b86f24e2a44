// The gate of a push, before any SQL: every event valid by the ledger's schema (with the points bound),
// UUID ids, text PostgreSQL can store, and authorised (a terminal pushes only its own events, under its own
// store). A batch with one bad event is refused whole, listing every problem by path.
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../../src-shared/kernel/hash.js';
import { uuidSchemaPattern } from '../../../src-shared/kernel/ids.js';
import { UNSTORABLE_MESSAGE, unstorablePath } from '../../../src-shared/kernel/storable-text.js';
import { HQ_SOURCE, ledgerEventSchema, type LedgerEvent } from '../../../src-shared/ledger/events.js';

/** The terminal a push comes from, as its bearer token identified it. */
export interface TerminalIdentity {
  id: string;
  storeId: string;
}

export const HQ_IDENTITY: TerminalIdentity = Object.freeze({ id: HQ_SOURCE, storeId: HQ_SOURCE });

/** An event of another terminal or store (or a terminal HQ does not know): the API answers 403. */
export class AuthorisationError extends Error {
  override readonly name = 'AuthorisationError';
}

export interface BatchProblem {
  /** Where, e.g. `events.3.payload.points`. */
  path: string;
  message: string;
}

export const MAX_PROBLEMS = 50;

/** A batch with an invalid event: refused whole, nothing stored (the API answers 400 with the problems). */
export class InvalidBatchError extends Error {
  override readonly name = 'InvalidBatchError';
  constructor(readonly problems: BatchProblem[]) {
    const shown = problems
      .slice(0, 3)
      .map((p) => `${p.path}: ${p.message}`)
      .join('; ');
    super(
      `The batch was refused and nothing was stored: ${problems.length} problem(s): ${shown}` +
        (problems.length > 3 ? '; …' : ''),
    );
  }
}

/** The problem with an event's stored form (ids, text), or none; `at` is its path, e.g. `events.3`. */
export function storageProblems(e: LedgerEvent, at: string): BatchProblem[] {
  const problems: BatchProblem[] = [];
  if (!uuidSchemaPattern.test(e.id))
    problems.push({ path: `${at}.id`, message: 'a UUID: 8-4-4-4-12 lower-case hex digits' });
  // A void's or a return's original is looked up by its id (a uuid column): it must be one.
  if (
    (e.type === 'event-voided' || e.type === 'points-returned') &&
    !uuidSchemaPattern.test(e.payload.original.id)
  )
    problems.push({
      path: `${at}.payload.original.id`,
      message: 'a UUID: 8-4-4-4-12 lower-case hex digits',
    });
  // PostgreSQL text and jsonb cannot hold NUL, nor (in jsonb) unpaired UTF-16 surrogates: such an event
  // would fail at INSERT time and block the terminal's queue forever, so it is refused up front instead.
  const bad = unstorablePath(e, at);
  if (bad) problems.push({ path: bad, message: UNSTORABLE_MESSAGE });
  return problems;
}

/**
 * Validates a batch with the ledger's event schema, plus what the database needs (UUID ids, storable
 * text). Throws InvalidBatchError listing the problems; returns the parsed events.
 */
export function validateBatch(events: readonly unknown[], label = 'events'): LedgerEvent[] {
  if (!Array.isArray(events)) throw new InvalidBatchError([{ path: label, message: 'a list of events' }]);
  const problems: BatchProblem[] = [];
  const parsed: LedgerEvent[] = [];
  events.forEach((raw, i) => {
    const result = ledgerEventSchema.safeParse(raw);
    if (!result.success) {
      for (const issue of result.error.issues)
        problems.push({ path: [label, i, ...issue.path].join('.'), message: issue.message });
      return;
    }
    problems.push(...storageProblems(result.data, `${label}.${i}`));
    parsed.push(result.data);
  });
  if (problems.length > 0) throw new InvalidBatchError(problems.slice(0, MAX_PROBLEMS));
  return parsed;
}

export function authorise(terminal: TerminalIdentity, events: readonly LedgerEvent[]): void {
  if (terminal.id === HQ_SOURCE)
    throw new AuthorisationError(`The source id "${HQ_SOURCE}" is HQ's own; no terminal may push under it.`);
  events.forEach((e, i) => {
    if (e.terminalId !== terminal.id)
      throw new AuthorisationError(
        `Event ${i} (${e.id}) belongs to terminal ${JSON.stringify(e.terminalId)}: a terminal pushes only its own events.`,
      );
    if (e.storeId !== terminal.storeId)
      throw new AuthorisationError(
        `Event ${i} (${e.id}) names store ${JSON.stringify(e.storeId)}, not this terminal's store.`,
      );
    // HQ's credit for a card earn names the till's event; a terminal claiming one would credit twice.
    if (e.type === 'points-earned' && e.payload.attached)
      throw new AuthorisationError(
        `Event ${i} (${e.id}) is a credit for a card earn: only HQ makes those (card-earn.ts).`,
      );
  });
}

/**
 * The ledger's eventHash (SHA-256 of the canonical JSON of every field but `hash`), computed with Node's
 * native SHA-256: the same digest, several times faster than the portable one the terminal uses.
 */
export function contentHash(event: LedgerEvent): string {
  const { hash: _ignored, ...content } = event;
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}
