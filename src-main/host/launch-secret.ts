// The browser host's launch secret: what tells the terminal's own page apart from any other local process
// that can reach the loopback port and forge an Origin header. Two kinds of random values, both made here:
//
//   launch token   one-time, in the URL the start script opens (`/?launch=<token>`): spent by its first GET
//   session        one per host launch, handed back for a launch token as an httpOnly SameSite=Strict
//                  cookie; the page's WebSocket upgrade carries it, and the host requires it
//
// Fetching `/` gives a local process nothing: the page is served only with the session cookie, and the
// cookie only for a launch token, which only the host's owner (the start script, a test harness) can mint.
// Tokens are kept as SHA-256 digests and compared through them, and the session is compared in constant
// time, so response timing says nothing about a guess.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { open, unlink } from 'node:fs/promises';

/** The query parameter of the launch URL. */
export const LAUNCH_PARAM = 'launch';
/** Launch tokens not yet spent, at most (the oldest is forgotten first): they are minted by the host's owner. */
export const MAX_PENDING_LAUNCHES = 64;
/** A token or cookie longer than this is refused before hashing. */
const MAX_SECRET_CHARS = 256;

export interface LaunchSecret {
  /** The session cookie's name: per port, since cookies ignore ports (two hosts in one browser keep both). */
  readonly cookieName: string;
  /** A new one-time launch token. */
  issueLaunchToken(): string;
  /** Spends a launch token: true the first time for a token this secret issued, false otherwise. */
  redeem(token: string): boolean;
  /** The Set-Cookie value that hands the session to the page that redeemed a token. */
  sessionCookie(): string;
  /** Whether a request's Cookie header carries this launch's session. */
  hasSession(cookieHeader: string | undefined): boolean;
}

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/** Constant-time equality of two strings of any length (through their digests, which have one length). */
export function secretsEqual(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

/** The values a Cookie header gives `name` (a browser may send one name more than once). */
export function cookieValues(cookieHeader: string | undefined, name: string): string[] {
  if (cookieHeader === undefined) return [];
  const values: string[] = [];
  for (const pair of cookieHeader.split(';')) {
    const at = pair.indexOf('=');
    if (at < 0 || pair.slice(0, at).trim() !== name) continue;
    values.push(pair.slice(at + 1).trim());
  }
  return values;
}

export function createLaunchSecret(
  port: number,
  random: (bytes: number) => Buffer = randomBytes,
): LaunchSecret {
  const session = random(32).toString('base64url');
  const cookieName = `loyalty-terminal-${port}`;
  // Digests (hex) of the tokens not yet spent, oldest first.
  const pending = new Set<string>();
  return {
    cookieName,
    issueLaunchToken() {
      const token = random(32).toString('base64url');
      pending.add(digest(token).toString('hex'));
      for (const oldest of pending) {
        if (pending.size <= MAX_PENDING_LAUNCHES) break;
        pending.delete(oldest);
      }
      return token;
    },
    redeem(token) {
      if (token.length === 0 || token.length > MAX_SECRET_CHARS) return false;
      return pending.delete(digest(token).toString('hex'));
    },
    sessionCookie() {
      // No Max-Age: the session ends with the browser, and the secret with the host anyway. No Secure: the
      // host is plain HTTP on loopback, which browsers treat as a secure context.
      return `${cookieName}=${session}; Path=/; HttpOnly; SameSite=Strict`;
    },
    hasSession(cookieHeader) {
      let found = false;
      for (const value of cookieValues(cookieHeader, cookieName)) {
        if (value.length <= MAX_SECRET_CHARS && secretsEqual(value, session)) found = true;
      }
      return found;
    },
  };
}

/**
 * A page that sends the browser on to `launchUrl`, for a browser started by another program: Chromium's
 * command line is readable by every local user (`ps`, /proc/<pid>/cmdline), a file made 0600 is not, so the
 * command line names this file and the token stays out of it. Made afresh (never reusing a file someone
 * else may have made or opened) and readable by its owner only.
 */
export async function writeLaunchPage(file: string, launchUrl: string): Promise<void> {
  await unlink(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
  const handle = await open(file, 'wx', 0o600);
  try {
    await handle.writeFile(launchPageHtml(launchUrl));
  } finally {
    await handle.close();
  }
}

/** The HTML of a page that goes to `url` at once (a meta refresh: no script, which a CSP may forbid). */
export function launchPageHtml(url: string): string {
  const attribute = url.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return (
    '<!doctype html><meta charset="utf-8"><meta name="referrer" content="no-referrer">' +
    `<meta http-equiv="refresh" content="0;url=${attribute}"><title>Loyalty Terminal</title>\n`
  );
}
