// The signature HQ puts on every webhook batch it sends to the chain's messaging tool, in Stripe's scheme:
//   Loyalty-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>
// The key is the secret's UTF-8 text as shown once when the webhook was set. A receiver recomputes the HMAC
// over the timestamp, a dot and the body bytes exactly as received, compares in constant time, and refuses
// a timestamp too far from its own clock (verifySignature's toleranceMs, 5 minutes by default) so a
// captured request cannot be replayed later. Written here, without I/O, so HQ signs and tests verify with
// one definition; docs give the same recipe for receivers in any language.
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

export const SIGNATURE_HEADER = 'loyalty-signature';
export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const DEFAULT_TOLERANCE_MS = 5 * 60_000;

const mac = (secret: string, timestamp: number, body: string): string =>
  bytesToHex(hmac(sha256, utf8ToBytes(secret), utf8ToBytes(`${timestamp}.${body}`)));

/** The header value for `body` signed at `atMs` (epoch ms; the header carries whole seconds). */
export function signatureHeader(secret: string, atMs: number, body: string): string {
  const t = Math.floor(atMs / 1000);
  return `t=${t},v1=${mac(secret, t, body)}`;
}

/** Constant-time comparison of two hex strings. */
function sameHex(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** What a receiver does: true when the header signs `body` with `secret` within the tolerance of `nowMs`. */
export function verifySignature(
  secret: string,
  header: string,
  body: string,
  nowMs: number,
  toleranceMs = DEFAULT_TOLERANCE_MS,
): boolean {
  const parts = new Map<string, string[]>();
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const key = part.slice(0, eq).trim();
    parts.set(key, [...(parts.get(key) ?? []), part.slice(eq + 1).trim()]);
  }
  const t = Number(parts.get('t')?.[0]);
  if (!Number.isSafeInteger(t) || Math.abs(nowMs - t * 1000) > toleranceMs) return false;
  const expected = mac(secret, t, body);
  return (parts.get('v1') ?? []).some((v) => sameHex(v, expected));
}
