// Console users and their sessions. Passwords are hashed with scrypt (node:crypto, N=2^15, r=8, p=1:
// about 32 MiB and tens of milliseconds per guess) under a per-user salt and compared in constant time.
// A session is a random token in an httpOnly cookie, kept by HQ as its SHA-256; its CSRF token is an HMAC
// of that token, so only a page HQ served (which asked `session`) can know it, and nothing more is stored. A
// session ends after SESSION_IDLE_MS without a request or SESSION_MAX_MS after sign-in, whichever is first.
import { createHash, createHmac, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { ConsoleRole } from '../../../src-shared/console/endpoint.js';
import type { ConsoleUser } from '../../../src-shared/console/auth.js';
import { uuidv7Factory } from '../../../src-shared/kernel/ids.js';
import type { Clock } from '../../../src-shared/kernel/clock.js';
import type { Queryable } from '../../db/database.js';

export const SESSION_IDLE_MS = 30 * 60_000;
export const SESSION_MAX_MS = 12 * 3_600_000;

const SCRYPT = { N: 2 ** 15, r: 8, p: 1, keyLength: 32, maxmem: 64 * 1024 * 1024 };

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
const newToken = (): string => randomBytes(32).toString('base64url');

/** The CSRF token of a session: derived from the cookie's token, which the page itself cannot read. */
export const csrfTokenOf = (sessionToken: string): string =>
  createHmac('sha256', sessionToken).update('loyalty-console-csrf').digest('base64url');

function scryptAsync(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(
      password.normalize('NFKC'),
      salt,
      SCRYPT.keyLength,
      { N: n, r, p, maxmem: SCRYPT.maxmem },
      (e, key) => (e ? reject(e) : resolve(key)),
    ),
  );
}

/** `scrypt$N$r$p$salt$key` (base64url): the parameters travel with the hash, so they can be raised later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, SCRYPT.N, SCRYPT.r, SCRYPT.p);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), key.toString('base64url')].join(
    '$',
  );
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, key] = stored.split('$');
  if (kind !== 'scrypt' || !n || !r || !p || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64url'), Number(n), Number(r), Number(p));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

// A hash of a password nobody has, so an unknown username costs the same time as a wrong password.
let decoyHash: Promise<string> | null = null;
const decoy = (): Promise<string> => (decoyHash ??= hashPassword(newToken()));

export class ConsoleUserError extends Error {
  constructor(
    readonly code: 'username-taken' | 'unknown-user' | 'invalid-stores' | 'last-admin',
    message: string,
  ) {
    super(message);
    this.name = 'ConsoleUserError';
  }
}

interface UserRow {
  id: string;
  username: string;
  name: string;
  role: ConsoleRole;
  store_ids: string[];
  disabled: boolean;
  created_at: string;
  last_sign_in_at: string | null;
}

const USER_COLUMNS = 'id, username, name, role, store_ids, disabled, created_at, last_sign_in_at';

const toUser = (r: UserRow): ConsoleUser => ({
  id: r.id,
  username: r.username,
  name: r.name,
  role: r.role,
  storeIds: r.role === 'store-manager' ? [...r.store_ids] : [],
  disabled: r.disabled,
  createdAt: new Date(r.created_at).toISOString(),
  lastSignInAt: r.last_sign_in_at === null ? null : new Date(r.last_sign_in_at).toISOString(),
});

async function checkStores(db: Queryable, role: ConsoleRole, storeIds: readonly string[]): Promise<string[]> {
  if (role !== 'store-manager') return [];
  const unique = [...new Set(storeIds)];
  if (unique.length === 0)
    throw new ConsoleUserError('invalid-stores', 'A store manager needs at least one store.');
  const { rows } = await db.query<{ id: string }>('SELECT id FROM stores WHERE id = ANY($1::text[])', [
    unique,
  ]);
  const known = new Set(rows.map((r) => r.id));
  const unknown = unique.filter((s) => !known.has(s));
  if (unknown.length > 0)
    throw new ConsoleUserError(
      'invalid-stores',
      `There is no store ${unknown.map((s) => JSON.stringify(s)).join(', ')}.`,
    );
  return unique;
}

export interface NewConsoleUser {
  username: string;
  name: string;
  role: ConsoleRole;
  storeIds?: readonly string[];
  password: string;
}

export async function createConsoleUser(
  db: Queryable,
  input: NewConsoleUser,
  clock: Clock,
): Promise<ConsoleUser> {
  const storeIds = await checkStores(db, input.role, input.storeIds ?? []);
  const id = uuidv7Factory(clock, (n) => randomBytes(n))();
  const passwordHash = await hashPassword(input.password);
  const { rows } = await db.query<UserRow>(
    `INSERT INTO console_users (id, username, name, role, store_ids, password_hash, created_at)
     VALUES ($1, $2, $3, $4, $5::text[], $6, $7)
     ON CONFLICT (username) DO NOTHING RETURNING ${USER_COLUMNS}`,
    [
      id,
      input.username.trim().toLowerCase(),
      input.name.trim(),
      input.role,
      storeIds,
      passwordHash,
      new Date(clock.now()).toISOString(),
    ],
  );
  const row = rows[0];
  if (!row)
    throw new ConsoleUserError(
      'username-taken',
      `There is already a user ${JSON.stringify(input.username)}.`,
    );
  return toUser(row);
}

export async function listConsoleUsers(db: Queryable): Promise<ConsoleUser[]> {
  const { rows } = await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM console_users ORDER BY username`);
  return rows.map(toUser);
}

export async function getConsoleUser(db: Queryable, id: string): Promise<ConsoleUser | null> {
  const { rows } = await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM console_users WHERE id = $1`, [id]);
  return rows[0] ? toUser(rows[0]) : null;
}

export interface ConsoleUserChange {
  role?: ConsoleRole | undefined;
  storeIds?: readonly string[] | undefined;
  disabled?: boolean | undefined;
}

/** Changes a user; disabling one (or changing their role or stores) ends their sessions. */
export async function changeConsoleUser(
  db: Queryable,
  id: string,
  change: ConsoleUserChange,
): Promise<ConsoleUser> {
  const current = await getConsoleUser(db, id);
  if (!current) throw new ConsoleUserError('unknown-user', `There is no console user ${JSON.stringify(id)}.`);
  const role = change.role ?? current.role;
  const storeIds = await checkStores(db, role, change.storeIds ?? current.storeIds);
  const disabled = change.disabled ?? current.disabled;
  if (current.role === 'admin' && !current.disabled && (role !== 'admin' || disabled)) {
    const { rows } = await db.query<{ n: string }>(
      "SELECT count(*)::text AS n FROM console_users WHERE role = 'admin' AND NOT disabled AND id <> $1",
      [id],
    );
    if (Number(rows[0]?.n ?? 0) === 0)
      throw new ConsoleUserError('last-admin', 'This is the last admin: add another admin first.');
  }
  const { rows } = await db.query<UserRow>(
    `UPDATE console_users SET role = $2, store_ids = $3::text[], disabled = $4 WHERE id = $1 RETURNING ${USER_COLUMNS}`,
    [id, role, storeIds, disabled],
  );
  await db.query('DELETE FROM console_sessions WHERE user_id = $1', [id]);
  return toUser(rows[0]!);
}

/** Sets a password; every session of the user ends but `keepSession` (the caller's own). */
export async function setConsolePassword(
  db: Queryable,
  id: string,
  password: string,
  keepSession?: string,
): Promise<void> {
  const hash = await hashPassword(password);
  const { rowCount } = await db.query('UPDATE console_users SET password_hash = $2 WHERE id = $1', [
    id,
    hash,
  ]);
  if (rowCount === 0)
    throw new ConsoleUserError('unknown-user', `There is no console user ${JSON.stringify(id)}.`);
  await db.query('DELETE FROM console_sessions WHERE user_id = $1 AND token_hash <> $2', [
    id,
    keepSession === undefined ? '' : sha256(keepSession),
  ]);
}

export interface OpenedSession {
  user: ConsoleUser;
  /** The cookie's value: shown to the browser once, kept by HQ as its hash. */
  token: string;
  csrfToken: string;
  expiresAt: string;
}

/** Checks a username and password; a session for an enabled user who gave the right password, else null. */
export async function signIn(
  db: Queryable,
  username: string,
  password: string,
  clock: Clock,
): Promise<OpenedSession | null> {
  const { rows } = await db.query<UserRow & { password_hash: string }>(
    `SELECT ${USER_COLUMNS}, password_hash FROM console_users WHERE username = $1`,
    [username.trim().toLowerCase()],
  );
  const row = rows[0];
  const ok = await verifyPassword(password, row?.password_hash ?? (await decoy()));
  if (!row || !ok || row.disabled) return null;
  const now = clock.now();
  const token = newToken();
  const expiresAt = new Date(now + SESSION_MAX_MS).toISOString();
  const nowIso = new Date(now).toISOString();
  await db.query(
    `INSERT INTO console_sessions (token_hash, user_id, created_at, last_seen_at, expires_at)
     VALUES ($1, $2, $3, $3, $4)`,
    [sha256(token), row.id, nowIso, expiresAt],
  );
  await db.query('UPDATE console_users SET last_sign_in_at = $2 WHERE id = $1', [row.id, nowIso]);
  return {
    user: toUser({ ...row, last_sign_in_at: nowIso }),
    token,
    csrfToken: csrfTokenOf(token),
    expiresAt,
  };
}

export interface LiveSession {
  user: ConsoleUser;
  csrfToken: string;
  /** Whether a CSRF token is this session's (compared in constant time). */
  csrfMatches(token: string | undefined): boolean;
}

/** The live session of a cookie (and its last use moved on), or null: unknown, expired, idle or disabled. */
export async function liveSession(
  db: Queryable,
  token: string | undefined,
  clock: Clock,
): Promise<LiveSession | null> {
  if (token === undefined || token.length === 0 || token.length > 128) return null;
  const now = clock.now();
  const idleSince = new Date(now - SESSION_IDLE_MS).toISOString();
  const nowIso = new Date(now).toISOString();
  const { rows } = await db.query<UserRow>(
    `UPDATE console_sessions s SET last_seen_at = $2
     FROM console_users u
     WHERE s.token_hash = $1 AND u.id = s.user_id AND NOT u.disabled
       AND s.expires_at > $2 AND s.last_seen_at > $3
     RETURNING u.id, u.username, u.name, u.role, u.store_ids, u.disabled, u.created_at, u.last_sign_in_at`,
    [sha256(token), nowIso, idleSince],
  );
  const row = rows[0];
  if (!row) return null;
  const csrfToken = csrfTokenOf(token);
  const expected = Buffer.from(sha256(csrfToken), 'hex');
  return {
    user: toUser(row),
    csrfToken,
    csrfMatches: (csrf) =>
      csrf !== undefined && csrf.length <= 128 && timingSafeEqual(Buffer.from(sha256(csrf), 'hex'), expected),
  };
}

export async function endSession(db: Queryable, token: string): Promise<void> {
  await db.query('DELETE FROM console_sessions WHERE token_hash = $1', [sha256(token)]);
}
