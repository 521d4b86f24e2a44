// A terminal's signature on its events (issue 16): what lets a till keep a peer's events, relay them, and
// HQ accept them from a till other than their origin. The event itself is unchanged (its hash and every
// stored event stay as they are): the signature travels beside it in an envelope, over the event's hash
// under the event domain. The hash covers the whole content and the chain position (terminalSeq,
// prevHash), so one signature vouches for both; the hash is recomputed before the signature is checked,
// so an event altered after signing fails even with its original hash and signature.
import { z } from 'zod';
import { eventHash } from '../ledger/chain.js';
import { ledgerEventSchema, type LedgerEvent } from '../ledger/events.js';
import type { TerminalCredential } from './credential.js';
import { signatureHexSchema, signText, verifyText } from './keys.js';

export const signedEventSchema = z
  .object({ event: ledgerEventSchema, signature: signatureHexSchema })
  .strict();
export interface SignedEvent {
  event: LedgerEvent;
  signature: string;
}

/** Signs a sealed event with its terminal's secret key. Throws when the event does not match its hash. */
export function signEvent(event: LedgerEvent, secretKey: Uint8Array): SignedEvent {
  if (eventHash(event) !== event.hash) throw new Error(`event ${event.id} does not match its hash`);
  return { event, signature: signText('event', event.hash, secretKey) };
}

export type EventSignatureProblem =
  /** Not an envelope of a valid event and a signature in hex. */
  | 'malformed'
  /** The event's content does not match its hash: changed after sealing. */
  | 'altered'
  /** The signature is not the key's signature of this event. */
  | 'bad-signature';

export type EventSignatureVerdict<P extends string = EventSignatureProblem> =
  { ok: true; signed: SignedEvent } | { ok: false; reason: P };

/** Whether `envelope` carries an unaltered event signed by `publicKey`; the parsed envelope when it does. */
export function verifyEventSignature(envelope: unknown, publicKey: string): EventSignatureVerdict {
  const parsed = signedEventSchema.safeParse(envelope);
  if (!parsed.success) return { ok: false, reason: 'malformed' };
  return checkSigned(parsed.data, publicKey);
}

/** The hash, then the signature, of an envelope already parsed. */
function checkSigned(signed: SignedEvent, publicKey: string): EventSignatureVerdict {
  if (eventHash(signed.event) !== signed.event.hash) return { ok: false, reason: 'altered' };
  if (!signatureVerifies(signed, publicKey)) return { ok: false, reason: 'bad-signature' };
  return { ok: true, signed };
}

/**
 * Whether the envelope's signature is `publicKey`'s over its event's hash. Only the signature: on its own
 * it vouches for nothing unless the hash was checked against the event (readEventOf, verifyEventSignature).
 */
export function signatureVerifies(signed: SignedEvent, publicKey: string): boolean {
  return verifyText('event', signed.event.hash, signed.signature, publicKey);
}

export type EventOriginProblem = EventSignatureProblem | 'other-terminal' | 'other-store';

/**
 * Every check of verifyEventOrigin short of the signature (a hundredth of its cost): a well-formed envelope
 * of the credential's terminal and store whose event matches its hash. For a caller that verifies the
 * signature only when the event is one it would keep (peer-log.ts).
 */
export function readEventOf(
  envelope: unknown,
  credential: TerminalCredential,
): EventSignatureVerdict<Exclude<EventOriginProblem, 'bad-signature'>> {
  const parsed = signedEventSchema.safeParse(envelope);
  if (!parsed.success) return { ok: false, reason: 'malformed' };
  const { event } = parsed.data;
  if (event.terminalId !== credential.terminalId) return { ok: false, reason: 'other-terminal' };
  if (event.storeId !== credential.storeId) return { ok: false, reason: 'other-store' };
  if (eventHash(event) !== event.hash) return { ok: false, reason: 'altered' };
  return { ok: true, signed: parsed.data };
}

/**
 * Whether `envelope` is an event of the credential's terminal and store, signed with its key: what a till
 * and HQ check before keeping an event that did not come from its origin directly.
 */
export function verifyEventOrigin(
  envelope: unknown,
  credential: TerminalCredential,
): EventSignatureVerdict<EventOriginProblem> {
  const read = readEventOf(envelope, credential);
  if (!read.ok) return read;
  if (!signatureVerifies(read.signed, credential.publicKey)) return { ok: false, reason: 'bad-signature' };
  return read;
}
