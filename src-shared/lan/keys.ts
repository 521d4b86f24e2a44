// Ed25519 keys and domain-separated signatures for the store LAN (issue 16). HQ signs terminal credentials
// and each terminal signs its events with the same primitive, so every signed message starts with a fixed
// domain line: a signature made for one purpose (a credential) can never verify as another (an event), even
// when the same key were used for both. Verification is strict RFC 8032 (zip215 off): non-canonical
// encodings and small-order public keys are refused, and a signature binds its signer (non-repudiation),
// which is what makes two conflicting signed events proof of a compromised terminal key.
// Pure: no randomness here. The caller draws a new key's 32-byte seed (crypto.getRandomValues at
// enrollment), so tests use fixed seeds and the same seed always gives the same key.
import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { z } from 'zod';

/** The domain line of each kind of signed message. Each ends with a newline, and none is a prefix of another. */
export const SIGNATURE_DOMAINS = {
  credential: 'loyalty-terminal/credential/v1\n',
  event: 'loyalty-terminal/event/v1\n',
  'peer-proof': 'loyalty-terminal/peer-proof/v1\n',
} as const;
export type SignatureDomain = keyof typeof SIGNATURE_DOMAINS;

/** An Ed25519 public key: 32 bytes as 64 lowercase hex digits (one spelling per key, so keys compare as text). */
export const publicKeyHexSchema = z.string().regex(/^[0-9a-f]{64}$/, 'an Ed25519 public key, 64 hex digits');
/** An Ed25519 signature: 64 bytes as 128 lowercase hex digits. */
export const signatureHexSchema = z.string().regex(/^[0-9a-f]{128}$/, 'an Ed25519 signature, 128 hex digits');

/** A key pair: the secret key (the 32-byte seed, never leaves its holder) and the public key as hex. */
export interface KeyPair {
  secretKey: Uint8Array;
  publicKey: string;
}

const SEED_BYTES = 32;

/** The key pair of a 32-byte seed (deterministic). Throws on a seed of another length. */
export function keyPairFromSeed(seed: Uint8Array): KeyPair {
  if (seed.length !== SEED_BYTES) throw new RangeError(`an Ed25519 seed is ${SEED_BYTES} bytes`);
  const secretKey = Uint8Array.from(seed);
  return { secretKey, publicKey: bytesToHex(ed25519.getPublicKey(secretKey)) };
}

/** The public key (hex) of a secret key. */
export function publicKeyOf(secretKey: Uint8Array): string {
  return bytesToHex(ed25519.getPublicKey(secretKey));
}

const messageBytes = (domain: SignatureDomain, text: string): Uint8Array =>
  utf8ToBytes(`${SIGNATURE_DOMAINS[domain]}${text}`);

/** Signs `text` under a domain; the signature as hex. */
export function signText(domain: SignatureDomain, text: string, secretKey: Uint8Array): string {
  return bytesToHex(ed25519.sign(messageBytes(domain, text), secretKey));
}

/**
 * Whether `signature` is `publicKey`'s signature of `text` under that domain. False (never a throw) for
 * anything malformed: a key or signature that is not lowercase hex of the right length, or not a point.
 */
export function verifyText(
  domain: SignatureDomain,
  text: string,
  signature: string,
  publicKey: string,
): boolean {
  if (!signatureHexSchema.safeParse(signature).success || !publicKeyHexSchema.safeParse(publicKey).success)
    return false;
  try {
    return ed25519.verify(hexToBytes(signature), messageBytes(domain, text), hexToBytes(publicKey), {
      zip215: false,
    });
  } catch {
    return false;
  }
}
