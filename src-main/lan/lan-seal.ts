// Sealed answers on the store LAN (issue 16): what a till's LAN server answers an admitted peer is
// encrypted for that peer alone, so a device that can watch the LAN reads nothing, and a device that sits
// between two tills and relays a peer's valid proof gets an answer it cannot open. The key is agreed from
// the two terminals' own keys (no new key to enroll or replicate): each Ed25519 key is mapped to its X25519
// form (RFC 7748, as libsodium's ed25519_pk_to_curve25519), the X25519 shared secret goes through
// HKDF-SHA256 salted with the single-use challenge and bound to both terminals and the exact request path,
// and the answer is AES-256-GCM under that key. Only the till holding the serving terminal's key can make a
// sealed answer the caller opens, so the caller also knows it reached the till it meant (the proof shows the
// caller to the server; the seal shows the server to the caller). Same key pair for signing and this
// agreement: domain-separated by HKDF's info line; a dedicated agreement key in the credential would be
// cleaner, and is left for when HQ's credential format next changes.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import { hexToBytes } from '@noble/hashes/utils.js';
import { z } from 'zod';
import { canonicalJson } from '../../src-shared/kernel/hash.js';

const INFO_DOMAIN = 'loyalty-terminal/lan-answer/v1\n';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** A sealed answer: base64url nonce and ciphertext with its GCM tag. */
export const sealedAnswerSchema = z
  .object({
    sealed: z
      .object({
        nonce: z.string().regex(/^[A-Za-z0-9_-]{16}$/),
        data: z.string().regex(/^[A-Za-z0-9_-]+$/),
      })
      .strict(),
  })
  .strict();
export type SealedAnswer = z.infer<typeof sealedAnswerSchema>;

export interface SealContext {
  /** The challenge the request answered (single-use, so every key is used once). */
  challenge: string;
  serverTerminalId: string;
  clientTerminalId: string;
  /** The request's path and query, exactly as sent. */
  path: string;
}

/**
 * The answer key between `secretKey` (this terminal's Ed25519 seed) and `peerPublicKey` (the other
 * terminal's Ed25519 public key, hex) for one request. Throws on a key that is not a valid point.
 */
export function answerKey(secretKey: Uint8Array, peerPublicKey: string, context: SealContext): Buffer {
  const shared = x25519.getSharedSecret(
    ed25519.utils.toMontgomerySecret(secretKey),
    ed25519.utils.toMontgomery(hexToBytes(peerPublicKey)),
  );
  const { challenge, serverTerminalId, clientTerminalId, path } = context;
  const info = `${INFO_DOMAIN}${canonicalJson({ serverTerminalId, clientTerminalId, path })}`;
  return Buffer.from(hkdfSync('sha256', shared, hexToBytes(challenge), info, 32));
}

export function sealAnswer(plain: string, key: Buffer): SealedAnswer {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return { sealed: { nonce: nonce.toString('base64url'), data: data.toString('base64url') } };
}

/** The plain text of a sealed answer; null when it was not sealed under `key` or was altered. */
export function openAnswer(answer: SealedAnswer, key: Buffer): string | null {
  const nonce = Buffer.from(answer.sealed.nonce, 'base64url');
  const data = Buffer.from(answer.sealed.data, 'base64url');
  if (nonce.length !== NONCE_BYTES || data.length < TAG_BYTES) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, nonce);
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    return Buffer.concat([
      decipher.update(data.subarray(0, data.length - TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    return null;
  }
}
