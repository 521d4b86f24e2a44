// A terminal's credential for the store LAN (issue 16): HQ's Ed25519 signature over the terminal's id, its
// store and the public key the terminal made at enrollment. HQ issues it and replicates the store's
// credentials to its tills; a till admits a peer only with a credential HQ signed for a terminal of its own
// store, and from then on takes only events that the credential's key signed (signature.ts, peer-log.ts).
// A credential is public (every till of the store holds all of them): it says which key speaks for which
// terminal, not that whoever shows it holds that key. peer-proof.ts adds the proof of possession.
import { z } from 'zod';
import { canonicalJson } from '../kernel/hash.js';
import { isoInstant } from '../ledger/member.js';
import { publicKeyHexSchema, signatureHexSchema, signText, verifyText } from './keys.js';

/** A terminal's or store's id, as the ledger's events bound them. */
const sourceId = z.string().min(1).max(64);

/** What HQ signs. */
export const credentialFieldsSchema = z
  .object({
    terminalId: sourceId,
    storeId: sourceId,
    publicKey: publicKeyHexSchema,
    issuedAt: isoInstant,
  })
  .strict();
export type CredentialFields = z.infer<typeof credentialFieldsSchema>;

export const terminalCredentialSchema = credentialFieldsSchema
  .extend({ signature: signatureHexSchema })
  .strict();
export type TerminalCredential = z.infer<typeof terminalCredentialSchema>;

/** The text HQ signs (under the credential domain): the fields' canonical JSON, so key order cannot matter. */
export function credentialMessage(fields: CredentialFields): string {
  const { terminalId, storeId, publicKey, issuedAt } = fields;
  return canonicalJson({ terminalId, storeId, publicKey, issuedAt });
}

/** HQ's side: the credential of `fields`, signed with HQ's secret key. Throws (a ZodError) on invalid fields. */
export function issueCredential(fields: CredentialFields, hqSecretKey: Uint8Array): TerminalCredential {
  const parsed = credentialFieldsSchema.parse(fields);
  return { ...parsed, signature: signText('credential', credentialMessage(parsed), hqSecretKey) };
}

/** Whether `credential` is well formed and signed by HQ's key. */
export function verifyCredential(credential: unknown, hqPublicKey: string): boolean {
  const parsed = terminalCredentialSchema.safeParse(credential);
  return (
    parsed.success &&
    verifyText('credential', credentialMessage(parsed.data), parsed.data.signature, hqPublicKey)
  );
}

export type AdmitRefusal =
  /** Not a credential: a missing or extra field, a bad key or signature format. */
  | 'malformed'
  /** Not signed by this HQ's key (self-signed, another HQ, or altered after signing). */
  | 'not-signed-by-hq'
  /** HQ's genuine credential, for a terminal of another store. */
  | 'other-store'
  /** HQ's genuine credential, but not for the terminal the till expected at this address. */
  | 'other-terminal'
  /** HQ withdrew this key (a terminal replaced, or its key proven compromised). */
  | 'revoked';

export type AdmitVerdict = { ok: true; credential: TerminalCredential } | { ok: false; reason: AdmitRefusal };

export interface AdmitOptions {
  /** The till's own store. */
  storeId: string;
  /** HQ's public key, as the till received it at enrollment. */
  hqPublicKey: string;
  /** The terminal the till meant to reach, when it knows (HQ's terminal list, a manual entry). */
  terminalId?: string;
  /** Public keys HQ revoked. */
  revokedKeys?: ReadonlySet<string>;
}

/**
 * Whether a till admits a peer presenting `credential`: well formed, HQ's signature, the till's store, the
 * expected terminal, a key not revoked (checked in that order; the first failure is the reason).
 */
export function admitPeer(credential: unknown, options: AdmitOptions): AdmitVerdict {
  const parsed = terminalCredentialSchema.safeParse(credential);
  if (!parsed.success) return { ok: false, reason: 'malformed' };
  const cred = parsed.data;
  if (!verifyText('credential', credentialMessage(cred), cred.signature, options.hqPublicKey))
    return { ok: false, reason: 'not-signed-by-hq' };
  if (cred.storeId !== options.storeId) return { ok: false, reason: 'other-store' };
  if (options.terminalId !== undefined && cred.terminalId !== options.terminalId)
    return { ok: false, reason: 'other-terminal' };
  if (options.revokedKeys?.has(cred.publicKey)) return { ok: false, reason: 'revoked' };
  return { ok: true, credential: cred };
}
