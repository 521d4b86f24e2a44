// The relay check (issue 16, POST /v1/events/relay): a till hands HQ events of another till of its store
// that it holds from the store LAN, so an event reaches HQ even when the till that made it never does. The
// bearer token proves only who relays, not who made the events, so HQ takes them on the origin's signature
// alone: every envelope of one origin terminal HQ knows, of the caller's store, not the caller (its own go
// through POST /v1/events), not revoked, each envelope's event unaltered and signed with the key HQ signed
// the origin's credential over (src-shared/lan/signature.ts). Any failure refuses the batch whole, before
// anything is written, as a push refuses an invalid event. The events are then ingested as the origin's
// own push would be (pushEvents under the origin's identity, which locks the origin's row), so a relayed
// event is stored once and its origin's later push of it, or another till's relay, is a `duplicate`.
import type { SignedEvent } from '../../src-shared/lan/signature.js';
import { verifyEventOrigin } from '../../src-shared/lan/signature.js';
import type { LedgerEvent } from '../../src-shared/ledger/events.js';
import type { Queryable } from '../db/database.js';
import type { TerminalIdentity } from '../store/ingest.js';
import type { AuthenticatedTerminal } from '../store/terminals.js';
import { relayOrigin } from '../store/terminals.js';
import { HttpError } from './errors.js';

/** Signatures checked between two yields to the event loop (Ed25519 in pure JS is about 1-2 ms each). */
const VERIFY_SLICE = 32;

const yieldToLoop = (): Promise<void> => new Promise((done) => setImmediate(done));

/** A relay HQ accepts: the origin to ingest under, and its events in input order. */
export interface CheckedRelay {
  origin: TerminalIdentity;
  events: LedgerEvent[];
}

/**
 * Checks a relayed batch (already parsed with relayRequestSchema) from `caller`; throws an HttpError naming
 * the first failure. Reads the origin's row only: nothing is written.
 */
export async function checkRelay(
  db: Queryable,
  caller: AuthenticatedTerminal,
  envelopes: readonly SignedEvent[],
): Promise<CheckedRelay> {
  const origins = [...new Set(envelopes.map((e) => e.event.terminalId))];
  const originId = origins[0];
  if (originId === undefined)
    throw new HttpError(400, 'invalid-request', 'A relay carries at least one event.');
  if (origins.length > 1)
    throw new HttpError(
      400,
      'relay-mixed-origins',
      `A relay carries the events of one origin terminal; this one has ${origins.length}. Send one request per origin.`,
    );
  if (originId === caller.id)
    throw new HttpError(
      403,
      'relay-own-events',
      'These are this terminal’s own events: push them with POST /v1/events, not as a relay.',
    );
  const foreign = envelopes.findIndex((e) => e.event.storeId !== caller.storeId);
  if (foreign >= 0)
    throw new HttpError(
      403,
      'relay-other-store',
      `Event ${foreign} names another store: a terminal relays only events of its own store.`,
    );
  const origin = await relayOrigin(db, originId);
  if (origin === null)
    throw new HttpError(
      403,
      'relay-unknown-origin',
      'The origin terminal of these events is not enrolled at HQ.',
    );
  if (origin.storeId !== caller.storeId)
    throw new HttpError(
      403,
      'relay-other-store',
      'The origin terminal belongs to another store: a terminal relays only events of its own store.',
    );
  if (origin.credential === null)
    throw new HttpError(
      403,
      'relay-origin-without-key',
      'The origin terminal has no store-LAN key at HQ, so its events cannot be verified: it pushes them itself.',
    );
  // Refused whatever the events' time: HQ cannot tell what was signed before the revocation (the event's
  // time is the till's clock, and a stolen key signs at any time it likes). docs: hq-relay-docs.md.
  if (origin.revokedAt !== null)
    throw new HttpError(
      403,
      'relay-origin-revoked',
      'The origin terminal was revoked at HQ: its events are not taken from other terminals.',
    );
  const credential = origin.credential;
  const events: LedgerEvent[] = [];
  for (const [i, envelope] of envelopes.entries()) {
    if (i > 0 && i % VERIFY_SLICE === 0) await yieldToLoop();
    const verdict = verifyEventOrigin(envelope, credential);
    if (!verdict.ok)
      throw new HttpError(
        403,
        'relay-unverified',
        `Event ${i} does not verify against its origin terminal’s key (${verdict.reason}); nothing was stored.`,
        [{ path: `events[${i}]`, message: verdict.reason }],
      );
    events.push(verdict.signed.event);
  }
  return { origin: { id: origin.id, storeId: origin.storeId }, events };
}
