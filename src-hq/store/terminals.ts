// Terminal credentials: an admin makes a one-time enrollment code for a store; a terminal exchanges it for
// a bearer token. Codes and tokens are shown once and stored only as SHA-256 hashes, so a copy of the
// database gives no working credential. Admin tokens work the same way.
// Store LAN (issue 16): a terminal that sends its Ed25519 public key at enrollment gets HQ's signed
// credential over it, kept on its row; the store's tills learn each other's credentials, revoked keys and
// reported LAN addresses from storePeers.
import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../../src-shared/kernel/clock.js';
import { HOUR_MS } from '../../src-shared/kernel/clock.js';
import { uuidv7Factory } from '../../src-shared/kernel/ids.js';
import {
  issueCredential,
  terminalCredentialSchema,
  type TerminalCredential,
} from '../../src-shared/lan/credential.js';
import type { KeyPair } from '../../src-shared/lan/keys.js';
import type { StorePeer } from '../../src-shared/sync/wire.js';
import type { Db, Queryable } from '../db/database.js';
import { InvalidInputError, UnknownStoreError } from './stores.js';

export interface AuthenticatedTerminal {
  id: string;
  storeId: string;
}

export interface Enrollment {
  terminalId: string;
  storeId: string;
  /** The bearer token: shown once, never stored. */
  token: string;
  /** HQ's credential over the terminal's public key, when it sent one. */
  credential?: TerminalCredential;
}

/** The key a terminal sent at enrollment, and HQ's signing key to sign its credential with. */
export interface EnrollmentKey {
  publicKey: string;
  signingKey: KeyPair;
}

/** The public key is already another terminal's: a key speaks for one terminal only. */
export class KeyInUseError extends Error {
  override readonly name = 'KeyInUseError';
  constructor() {
    super('This public key is already enrolled for another terminal: make a new key pair and enroll again.');
  }
}

export interface TerminalInfo {
  id: string;
  storeId: string;
  name: string;
  enrolledAt: string | null;
  revokedAt: string | null;
  lastSeq: number;
}

export type EnrollmentCodeProblem = 'unknown' | 'used' | 'expired';

/** An enrollment code that cannot be used: never issued (or mistyped), already used, or expired. */
export class EnrollmentCodeError extends Error {
  override readonly name = 'EnrollmentCodeError';
  constructor(readonly problem: EnrollmentCodeProblem) {
    super(
      problem === 'unknown'
        ? 'This enrollment code is not valid. Check it, or ask HQ for a new one.'
        : problem === 'used'
          ? 'This enrollment code has been used already. Ask HQ for a new one.'
          : 'This enrollment code has expired. Ask HQ for a new one.',
    );
  }
}

export const DEFAULT_ENROLLMENT_TTL_HOURS = 24;
const MAX_ENROLLMENT_TTL_HOURS = 24 * 30;

/** No I, O, 0 or 1: a code read aloud or typed from a screen cannot be misread. 32 symbols = 5 bits each. */
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const CODE_GROUPS = 3;
const CODE_GROUP_LENGTH = 4;

/** Tokens longer than this are not ours; refuse them before hashing. */
const MAX_TOKEN_LENGTH = 256;

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** The stored form of a bearer token (terminal or admin): SHA-256 hex of the token as sent. */
export const tokenHash = (token: string): string => sha256(token);

/** Upper case, no spaces or dashes: `abcd efgh-jkmn` and `ABCD-EFGH-JKMN` are the same code. */
export const normaliseEnrollmentCode = (code: string): string => code.toUpperCase().replace(/[\s-]/g, '');
const codeHash = (code: string): string => sha256(normaliseEnrollmentCode(code));

/** 32 random bytes, base64url: 256 bits. */
const newToken = (): string => randomBytes(32).toString('base64url');

function newCode(): string {
  const bytes = randomBytes(CODE_GROUPS * CODE_GROUP_LENGTH);
  const chars = Array.from(bytes, (b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join('');
  const groups: string[] = [];
  for (let i = 0; i < chars.length; i += CODE_GROUP_LENGTH)
    groups.push(chars.slice(i, i + CODE_GROUP_LENGTH));
  return groups.join('-');
}

/**
 * Makes a one-time enrollment code for a store, valid `ttlHours` (default 24). The code is returned once
 * and stored hashed. Throws UnknownStoreError for a store that does not exist.
 */
export async function createEnrollmentCode(
  db: Queryable,
  storeId: string,
  clock: Clock,
  options: { ttlHours?: number } = {},
): Promise<{ code: string; expiresAt: string }> {
  const ttlHours = options.ttlHours ?? DEFAULT_ENROLLMENT_TTL_HOURS;
  if (!(ttlHours > 0 && ttlHours <= MAX_ENROLLMENT_TTL_HOURS)) {
    throw new InvalidInputError(`ttlHours must be above 0 and at most ${MAX_ENROLLMENT_TTL_HOURS}.`);
  }
  const code = newCode();
  const expiresAt = new Date(clock.now() + Math.round(ttlHours * HOUR_MS)).toISOString();
  const { rowCount } = await db.query(
    `INSERT INTO enrollment_codes (code_hash, store_id, expires_at)
     SELECT $1, id, $3 FROM stores WHERE id = $2`,
    [codeHash(code), storeId, expiresAt],
  );
  if (rowCount === 0) throw new UnknownStoreError(storeId);
  return { code, expiresAt };
}

/**
 * Exchanges a code for a new terminal of the code's store and its bearer token, in one transaction: the
 * code is claimed atomically, so two terminals racing with one code cannot both enroll. Throws
 * EnrollmentCodeError when the code is unknown, used or expired.
 */
export async function enrollTerminal(
  db: Db,
  code: string,
  name: string,
  clock: Clock,
  key?: EnrollmentKey,
): Promise<Enrollment> {
  const terminalName = name.trim();
  if (terminalName.length === 0 || terminalName.length > 80) {
    throw new InvalidInputError('A terminal name is 1–80 characters.');
  }
  const hash = codeHash(code);
  const now = new Date(clock.now()).toISOString();
  const terminalId = uuidv7Factory(clock, (n) => randomBytes(n))();
  const token = newToken();
  return db.transaction(async (tx) => {
    const claimed = await tx.query<{ store_id: string }>(
      `UPDATE enrollment_codes SET used_at = $2
       WHERE code_hash = $1 AND used_at IS NULL AND expires_at > $2
       RETURNING store_id`,
      [hash, now],
    );
    const storeId = claimed.rows[0]?.store_id;
    if (storeId === undefined) {
      const { rows } = await tx.query<{ used_at: string | null }>(
        'SELECT used_at FROM enrollment_codes WHERE code_hash = $1',
        [hash],
      );
      const row = rows[0];
      throw new EnrollmentCodeError(!row ? 'unknown' : row.used_at !== null ? 'used' : 'expired');
    }
    // Signed inside the transaction: the credential names the store the claimed code belongs to.
    const credential = key
      ? issueCredential(
          { terminalId, storeId, publicKey: key.publicKey, issuedAt: now },
          key.signingKey.secretKey,
        )
      : undefined;
    if (key) {
      // Checked first for a clear error; the unique index still decides a race (the insert fails, and
      // with it the whole transaction, so the code is not spent).
      const taken = await tx.query('SELECT 1 FROM terminals WHERE public_key = $1', [key.publicKey]);
      if (taken.rowCount > 0) throw new KeyInUseError();
    }
    try {
      await tx.query(
        `INSERT INTO terminals (id, store_id, name, token_hash, enrolled_at, public_key, credential)
         VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)`,
        [
          terminalId,
          storeId,
          terminalName,
          tokenHash(token),
          now,
          key?.publicKey ?? null,
          credential ? JSON.stringify(credential) : null,
        ],
      );
    } catch (error) {
      if ((error as { code?: unknown }).code === '23505' && key) throw new KeyInUseError();
      throw error;
    }
    await tx.query('UPDATE enrollment_codes SET terminal_id = $2 WHERE code_hash = $1', [hash, terminalId]);
    return { terminalId, storeId, token, ...(credential ? { credential } : {}) };
  });
}

/** What a till learns about its store's other tills (GET /v1/store/peers), less HQ's public key. */
export interface StorePeers {
  peers: StorePeer[];
  /** Public keys of the store's revoked terminals, sorted. */
  revokedKeys: string[];
}

type PeerRow = {
  id: string;
  credential: unknown;
  public_key: string;
  revoked_at: string | null;
  lan_addresses: unknown;
  lan_reported_at: string | Date | null;
};

const isoOf = (value: string | Date | null): string | null =>
  value === null ? null : new Date(value).toISOString();

/**
 * The credentials and reported LAN addresses of the live terminals of `storeId` other than `terminalId`,
 * and the keys of its revoked terminals. Terminals enrolled without a key take no part and are left out.
 */
export async function storePeers(db: Queryable, storeId: string, terminalId: string): Promise<StorePeers> {
  const { rows } = await db.query<PeerRow>(
    `SELECT id, credential, public_key, revoked_at, lan_addresses, lan_reported_at FROM terminals
     WHERE store_id = $1 AND public_key IS NOT NULL ORDER BY created_at, id`,
    [storeId],
  );
  const peers: StorePeer[] = [];
  const revokedKeys: string[] = [];
  for (const row of rows) {
    if (row.revoked_at !== null) {
      revokedKeys.push(row.public_key);
      continue;
    }
    if (row.id === terminalId) continue;
    const credential = terminalCredentialSchema.parse(
      typeof row.credential === 'string' ? JSON.parse(row.credential) : row.credential,
    );
    const addresses = Array.isArray(row.lan_addresses)
      ? row.lan_addresses.filter((a): a is string => typeof a === 'string')
      : [];
    peers.push({ credential, lanAddresses: addresses, lanReportedAt: isoOf(row.lan_reported_at) });
  }
  return { peers, revokedKeys: revokedKeys.sort() };
}

/** A terminal as the relay route (POST /v1/events/relay) checks an origin: its store, key and revocation. */
export interface RelayOrigin {
  id: string;
  storeId: string;
  /** HQ's credential over the terminal's store-LAN key; null for a terminal enrolled without one. */
  credential: TerminalCredential | null;
  revokedAt: string | null;
}

/** The terminal `terminalId` with its stored credential, or null when HQ does not know it. Reads only. */
export async function relayOrigin(db: Queryable, terminalId: string): Promise<RelayOrigin | null> {
  const { rows } = await db.query<{
    id: string;
    store_id: string;
    credential: unknown;
    revoked_at: string | Date | null;
  }>('SELECT id, store_id, credential, revoked_at FROM terminals WHERE id = $1', [terminalId]);
  const row = rows[0];
  if (!row) return null;
  const credential =
    row.credential === null
      ? null
      : terminalCredentialSchema.parse(
          typeof row.credential === 'string' ? JSON.parse(row.credential) : row.credential,
        );
  return { id: row.id, storeId: row.store_id, credential, revokedAt: isoOf(row.revoked_at) };
}

/**
 * Records the calling terminal's LAN addresses (already validated: lanReportSchema), replacing its last
 * report; an empty list clears it. Returns the time it was recorded.
 */
export async function reportLanAddresses(
  db: Queryable,
  terminalId: string,
  addresses: readonly string[],
  clock: Clock,
): Promise<string> {
  const reportedAt = new Date(clock.now()).toISOString();
  await db.query(
    `UPDATE terminals SET lan_addresses = $2::jsonb, lan_reported_at = $3
     WHERE id = $1 AND revoked_at IS NULL`,
    [terminalId, JSON.stringify(addresses), reportedAt],
  );
  return reportedAt;
}

/** The terminal a bearer token belongs to; null for an unknown or revoked token. */
export async function authenticateTerminal(
  db: Queryable,
  token: string,
): Promise<AuthenticatedTerminal | null> {
  if (token.length === 0 || token.length > MAX_TOKEN_LENGTH) return null;
  const { rows } = await db.query<{ id: string; store_id: string }>(
    'SELECT id, store_id FROM terminals WHERE token_hash = $1 AND revoked_at IS NULL',
    [tokenHash(token)],
  );
  const row = rows[0];
  return row ? { id: row.id, storeId: row.store_id } : null;
}

/**
 * Revokes a terminal: its token stops working at once. Revoking again keeps the first revocation time.
 * Returns null for an unknown terminal.
 */
export async function revokeTerminal(
  db: Queryable,
  terminalId: string,
  clock: Clock,
): Promise<{ terminalId: string; revokedAt: string } | null> {
  const { rows } = await db.query<{ revoked_at: string }>(
    'UPDATE terminals SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1 RETURNING revoked_at',
    [terminalId, new Date(clock.now()).toISOString()],
  );
  const row = rows[0];
  return row ? { terminalId, revokedAt: row.revoked_at } : null;
}

type TerminalRow = {
  id: string;
  store_id: string;
  name: string;
  enrolled_at: string | null;
  revoked_at: string | null;
  last_seq: number;
};

/** Enrolled terminals, optionally of one store, oldest first. */
export async function listTerminals(
  db: Queryable,
  options: { storeId?: string } = {},
): Promise<TerminalInfo[]> {
  const { rows } = await db.query<TerminalRow>(
    `SELECT id, store_id, name, enrolled_at, revoked_at, last_seq FROM terminals
     WHERE ($1::text IS NULL OR store_id = $1) ORDER BY created_at, id`,
    [options.storeId ?? null],
  );
  return rows.map((r) => ({
    id: r.id,
    storeId: r.store_id,
    name: r.name,
    enrolledAt: r.enrolled_at,
    revokedAt: r.revoked_at,
    lastSeq: r.last_seq,
  }));
}

/** Makes an admin token (shown once, stored hashed) under a name that says whose it is. */
export async function createAdminToken(db: Queryable, name: string): Promise<string> {
  const label = name.trim();
  if (label.length === 0 || label.length > 80)
    throw new InvalidInputError('An admin token name is 1–80 characters.');
  const token = newToken();
  await db.query('INSERT INTO admin_tokens (token_hash, name) VALUES ($1, $2)', [tokenHash(token), label]);
  return token;
}

/** Who holds an admin token: the name it was made under (`admin token --name`). */
export interface AdminIdentity {
  name: string;
}

/** The holder of a known admin token that has not been revoked; null otherwise. */
export async function adminIdentity(db: Queryable, token: string): Promise<AdminIdentity | null> {
  if (token.length === 0 || token.length > MAX_TOKEN_LENGTH) return null;
  const { rows } = await db.query<{ name: string }>(
    'SELECT name FROM admin_tokens WHERE token_hash = $1 AND revoked_at IS NULL',
    [tokenHash(token)],
  );
  const row = rows[0];
  return row ? { name: row.name } : null;
}

/** True for a known admin token that has not been revoked. */
export async function authenticateAdmin(db: Queryable, token: string): Promise<boolean> {
  return (await adminIdentity(db, token)) !== null;
}
