// Proof that a peer holds its credential's secret key (issue 16). Credentials are public (every till of the
// store holds all of them), so showing one proves nothing: a device on the LAN could replay a till's
// credential and pull the store's events. The till serving events sends a fresh random challenge; the peer
// signs it, with the server's terminal id and its own, under the peer-proof domain; the server admits it
// only when its credential passes admitPeer and the signature verifies with the credential's key.
// Naming the server in the signed text stops a proof made for one till being shown to another. `channel`
// lets the transport bind the proof to its session (e.g. a TLS exporter value) so a proof cannot be relayed
// into another connection: until the transport has one, a device that sits between two tills can relay a
// proof, but still cannot sign or alter an event.
import { z } from 'zod';
import { canonicalJson } from '../kernel/hash.js';
import { admitPeer, type AdmitOptions, type AdmitRefusal, type TerminalCredential } from './credential.js';
import { signatureHexSchema, signText, verifyText } from './keys.js';

/** A challenge: 32 random bytes as hex, drawn by the till that serves, never reused. */
export const peerChallengeSchema = z.string().regex(/^[0-9a-f]{64}$/, 'a challenge, 64 hex digits');

export interface ProofContext {
  /** The serving till's challenge for this connection. */
  challenge: string;
  /** The serving till's terminal id. */
  verifierTerminalId: string;
  /** A value both ends derive from their session, when the transport has one (bounded text). */
  channel?: string;
}

/** What a peer shows: its credential and its signature over the proof text. */
export const peerHelloSchema = z.object({ credential: z.unknown(), proof: signatureHexSchema }).strict();
export interface PeerHello {
  credential: TerminalCredential;
  proof: string;
}

const contextSchema = z
  .object({
    challenge: peerChallengeSchema,
    verifierTerminalId: z.string().min(1).max(64),
    channel: z.string().min(1).max(256).optional(),
  })
  .strict();

/** The text a peer signs: canonical JSON of the context and the prover's terminal id. */
export function proofMessage(context: ProofContext, proverTerminalId: string): string {
  const { challenge, verifierTerminalId, channel } = contextSchema.parse(context);
  return canonicalJson({ challenge, verifierTerminalId, proverTerminalId, channel });
}

/** The peer's side: its hello for this challenge, signed with its terminal's secret key. */
export function provePeer(
  context: ProofContext,
  credential: TerminalCredential,
  secretKey: Uint8Array,
): PeerHello {
  return {
    credential,
    proof: signText('peer-proof', proofMessage(context, credential.terminalId), secretKey),
  };
}

export type ProvenAdmitVerdict =
  { ok: true; credential: TerminalCredential } | { ok: false; reason: AdmitRefusal | 'bad-proof' };

/**
 * The serving till's side: admitPeer on the hello's credential, then the proof against the credential's key
 * and this connection's context. A refused peer gets nothing.
 */
export function admitProvenPeer(
  hello: unknown,
  context: ProofContext,
  options: AdmitOptions,
): ProvenAdmitVerdict {
  const parsed = peerHelloSchema.safeParse(hello);
  if (!parsed.success || !contextSchema.safeParse(context).success) return { ok: false, reason: 'malformed' };
  const admitted = admitPeer(parsed.data.credential, options);
  if (!admitted.ok) return admitted;
  const { credential } = admitted;
  const message = proofMessage(context, credential.terminalId);
  if (!verifyText('peer-proof', message, parsed.data.proof, credential.publicKey))
    return { ok: false, reason: 'bad-proof' };
  return admitted;
}
