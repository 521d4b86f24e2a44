// The browser host (docs/architecture.md section 3): TerminalApi for a renderer running in a plain browser (Debian's
// Chromium in app or kiosk mode, Playwright in end-to-end tests) instead of Electron. A node:http server on
// the loopback interface serves the built renderer with the kiosk's CSP, and a WebSocket at `/terminal`
// carries TerminalApi (src-renderer/transport/browser-terminal.ts is the other end):
//
//   renderer → host   { id, channel, args }         a request on an invoked channel (invokeHostApi)
//   host → renderer   { id, result } | { id, error: { message } }     its answer (id null: unreadable)
//   host → renderer   { channel, payload }          pushed: scans, device statuses, HQ's stream
//
// The customer-facing display is a second page of the same build, `/customer` (src-renderer/customer/),
// with a socket of its own, `/customer-view`, that only ever pushes the customer view (main keeps the
// latest: the page hears it on connect, then every change) and answers nothing: the customer's page has
// no TerminalApi at all, so it can neither read nor do anything of the cashier's.
//
// The socket reaches the terminal's HQ credential (through the host API), so it is guarded like one: the
// server listens on loopback only; the WebSocket handshake must come from this host's own origin (a page
// of another site, or a DNS-rebinding name pointing here, is refused) with this host's Host header, and
// must carry the session cookie of this launch (launch-secret.ts): an Origin header is only a claim, which
// any local program can make, so the page is let in by a secret it got through a one-time launch URL that
// only the host's owner mints (`launchUrl()`). Without the cookie the page itself is not served either.
// Messages are bounded in size and in number in flight; anything malformed is answered with an error and
// never crashes the host. The host API itself validates every argument, as under Electron.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { z } from 'zod';
import { cashierPushedMethods, customerPushedMethods, type TerminalApi } from '../../src-shared/ipc/index.js';
import { CONTENT_SECURITY_POLICY } from '../security.js';
import { forwardPushes, invokedChannels, invokeHostApi } from './host-api.js';
import { createLaunchSecret, LAUNCH_PARAM, type LaunchSecret } from './launch-secret.js';
import { readStaticFile } from './static-files.js';

/** The WebSocket path TerminalApi is served on. */
export const TERMINAL_SOCKET_PATH = '/terminal';
/** The customer display's page, and the socket it hears the customer view on (and nothing else). */
export const CUSTOMER_PAGE_PATH = '/customer';
export const CUSTOMER_SOCKET_PATH = '/customer-view';

/** The pages a launch URL may open: the cashier's, and the customer display. */
export type BrowserHostPage = 'cashier' | 'customer';
const PAGE_PATHS: Record<BrowserHostPage, string> = { cashier: '/', customer: CUSTOMER_PAGE_PATH };
/** URL paths served as another file of the build: the customer page is its folder's index.html. */
const PAGE_FILES: Readonly<Record<string, string>> = {
  [CUSTOMER_PAGE_PATH]: `${CUSTOMER_PAGE_PATH}/index.html`,
  [`${CUSTOMER_PAGE_PATH}/`]: `${CUSTOMER_PAGE_PATH}/index.html`,
};
const isPagePath = (path: string): boolean => Object.values(PAGE_PATHS).includes(path);
/**
 * Largest message a renderer may send; a bigger one closes the socket. Above HQ's own 1 MiB body limit on
 * purpose: an oversized push must reach HQ and come back as a 'rejected' answer the renderer can act on,
 * rather than as a dropped socket it would retry for ever. This bound only guards the host's memory.
 */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
/** Requests one connection may have in flight; more are answered with an error straight away. */
export const MAX_IN_FLIGHT = 64;

export interface BrowserHostLogger {
  warn(fields: Record<string, unknown>, message: string): void;
}

export interface BrowserHostOptions {
  /** TerminalApi over the host's services: createHostApi({ link, devices, hostInfo: { host: 'browser', … } }). */
  api: TerminalApi;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** Default 0: any free port. A fixed port keeps the page's origin, and so its IndexedDB, across runs. */
  port?: number;
  /** A loopback address: 127.0.0.1 (default), another 127.x.y.z, or ::1. */
  host?: string;
  maxMessageBytes?: number;
  logger?: BrowserHostLogger;
}

export interface BrowserHost {
  /**
   * The page, e.g. http://127.0.0.1:8788/: served, and its socket accepted, only with this launch's session
   * cookie, which a browser gets by opening a launch URL first.
   */
  url: string;
  /**
   * A new one-time URL that opens the page, e.g. http://127.0.0.1:8788/?launch=<token>: its first GET
   * trades the token for the session cookie (httpOnly, SameSite=Strict) and sends the browser on to `url`;
   * after that the token is spent. One per browser profile (a cookie jar) to open: hand it only to the
   * browser the host's owner starts, or print it to the owner's terminal. `'customer'`: the customer
   * display's page instead (http://127.0.0.1:8788/customer?launch=<token>), for a browser of its own; a
   * browser holding the session already opens `/customer` directly.
   */
  launchUrl(page?: BrowserHostPage): string;
  /** The only Origin the WebSocket accepts, e.g. http://127.0.0.1:8788 */
  origin: string;
  /** Ends every connection and stops listening. */
  close(): Promise<void>;
}

const isLoopback = (host: string): boolean => host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);

/**
 * The kiosk's CSP (src-main/security.ts) for a page served from `hostPort` (e.g. 127.0.0.1:8788): the same
 * policy, with connect-src widened to this host's WebSocket only (not `ws:` at large), and frame-ancestors
 * 'none' (which only a header can carry).
 */
export function browserContentSecurityPolicy(hostPort: string): string {
  return [
    ...CONTENT_SECURITY_POLICY.split(';')
      .map((d) => d.trim())
      .filter((d) => d !== '')
      .map((d) => (d.startsWith('connect-src ') ? `connect-src 'self' ws://${hostPort}` : d)),
    "frame-ancestors 'none'",
  ].join('; ');
}

const requestSchema = z
  .object({
    id: z.int().min(0).max(Number.MAX_SAFE_INTEGER),
    channel: z.string().max(128),
    args: z.array(z.unknown()).max(8),
  })
  .strict();

const invoked = new Set<string>(invokedChannels);

const noop = (): void => undefined;

export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const { api, rendererDir } = options;
  const host = options.host ?? '127.0.0.1';
  if (!isLoopback(host)) {
    throw new Error(
      `The browser host listens on loopback only (it reaches the terminal's HQ credential): ${JSON.stringify(host)} is not a loopback address.`,
    );
  }
  const log = options.logger ?? { warn: noop };
  const maxPayload = options.maxMessageBytes ?? MAX_MESSAGE_BYTES;

  // Known once listening (the port may be 0 until then).
  let hostPort = '';
  let origin = '';
  let csp = '';
  let secret: LaunchSecret | null = null;

  const server = createServer((req, res) => {
    void serve(req, res).catch((error: unknown) => {
      log.warn({ error: error instanceof Error ? error.name : typeof error }, 'browser host request failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('internal error');
    });
  });

  const securityHeaders = (): Record<string, string> => ({
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), usb=(), serial=(), hid=(), bluetooth=()',
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const plain = (status: number, text: string, extra: Record<string, string> = {}): void => {
      res.writeHead(status, { ...securityHeaders(), 'content-type': 'text/plain; charset=utf-8', ...extra });
      res.end(req.method === 'HEAD' ? undefined : text);
    };
    if (req.headers.host !== hostPort) return plain(421, 'this host serves its own address only');
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return plain(405, 'method not allowed', { allow: 'GET, HEAD' });
    const target = req.url ?? '/';
    const at = target.indexOf('?');
    const rawPath = at < 0 ? target : target.slice(0, at);
    const query = at < 0 ? '' : target.slice(at + 1);
    if (!rawPath.startsWith('/')) return plain(400, 'bad request');
    const session = secret?.hasSession(req.headers.cookie) ?? false;
    const launch = new URLSearchParams(query).get(LAUNCH_PARAM);
    if (isPagePath(rawPath) && launch !== null && req.method === 'GET')
      return redeem(req, res, launch, session, rawPath);
    const found = await readStaticFile(rendererDir, PAGE_FILES[rawPath] ?? rawPath);
    if (found.status !== 200) return plain(found.status, found.body);
    // Documents need the session (the scripts and styles are the public build, and carry no secret): a
    // process fetching `/` learns nothing, and a browser without the cookie is told how to get in.
    if (found.contentType.startsWith('text/html') && !session) {
      return plain(401, 'Open the terminal with the launch link its start command printed.', {
        'cache-control': 'no-store',
      });
    }
    res.writeHead(200, {
      ...securityHeaders(),
      'content-type': found.contentType,
      'content-length': String(found.body.length),
      // Hashed assets never change; the page itself is always fetched again (a rebuilt renderer shows up).
      'cache-control': rawPath.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    res.end(req.method === 'HEAD' ? undefined : found.body);
  }

  /**
   * `GET /?launch=<token>`: a token not yet spent (or a browser holding the session already, such as a
   * page reloaded at the launch URL) gets the session cookie and goes on to the page. A browser-initiated
   * navigation (Sec-Fetch-Site none: the command line, the address bar, Playwright's goto) is redirected;
   * one started by another page (a launch page on file:, see writeLaunchPage) gets a page that refreshes
   * to `/`, since a SameSite=Strict cookie is not sent along a redirect that another site began, but is on
   * a navigation this origin starts.
   */
  function redeem(
    req: IncomingMessage,
    res: ServerResponse,
    token: string,
    session: boolean,
    page: string,
  ): void {
    if (secret === null || !(secret.redeem(token) || session)) {
      log.warn({}, 'browser host refused a launch token that is spent or was never issued');
      res.writeHead(403, {
        ...securityHeaders(),
        'content-type': 'text/plain; charset=utf-8',
        'cache-control': 'no-store',
      });
      res.end('This launch link is spent or unknown: each opens the terminal once. Ask for a new one.');
      return;
    }
    const site = req.headers['sec-fetch-site'];
    const common = {
      ...securityHeaders(),
      'set-cookie': secret.sessionCookie(),
      'cache-control': 'no-store',
    };
    if (site === undefined || site === 'none' || site === 'same-origin') {
      res.writeHead(303, { ...common, location: page });
      res.end();
      return;
    }
    res.writeHead(200, { ...common, 'content-type': 'text/html; charset=utf-8' });
    res.end(
      `<!doctype html><meta http-equiv="refresh" content="0;url=${page}"><title>Loyalty Terminal</title>\n`,
    );
  }

  const verifyClient = (
    info: { origin: string; req: IncomingMessage },
    done: (ok: boolean, code?: number, message?: string) => void,
  ): void => {
    const ownPage = info.origin === origin && info.req.headers.host === hostPort;
    // Checked even when the origin is wrong, so the time taken does not tell which check failed.
    const session = secret?.hasSession(info.req.headers.cookie) ?? false;
    if (ownPage && session) return done(true);
    log.warn(
      { origin: ownPage, session },
      'browser host refused a terminal socket (wrong origin or host, or no session of this launch)',
    );
    done(false, 403, 'Forbidden');
  };
  // Two sockets on one server: each upgrade goes to the server of its path, any other path is refused.
  const wss = new WebSocketServer({ noServer: true, maxPayload, verifyClient });
  wss.on('error', (error) => log.warn({ error: error.name }, 'browser host socket server error'));
  wss.on('connection', (socket) => connect(socket));
  // The customer page sends nothing: a tiny payload bound, and anything it sends closes its socket.
  const customerWss = new WebSocketServer({ noServer: true, maxPayload: 1024, verifyClient });
  customerWss.on('error', (error) => log.warn({ error: error.name }, 'browser host socket server error'));
  customerWss.on('connection', (socket) => connectCustomer(socket));
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const target = req.url ?? '';
    const at = target.indexOf('?');
    const path = at < 0 ? target : target.slice(0, at);
    const to = path === TERMINAL_SOCKET_PATH ? wss : path === CUSTOMER_SOCKET_PATH ? customerWss : null;
    if (to === null) {
      socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    to.handleUpgrade(req, socket, head, (client) => to.emit('connection', client, req));
  });

  /** The customer display's socket: the customer view pushed (the latest at once), nothing answered. */
  function connectCustomer(socket: WebSocket): void {
    const stop = forwardPushes(
      api,
      (channel, payload) => {
        if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ channel, payload }));
      },
      customerPushedMethods,
    );
    socket.on('close', stop);
    socket.on('error', (error) => log.warn({ error: error.name }, 'customer socket error'));
    socket.on('message', () => socket.close(1008, 'The customer display sends nothing.'));
  }

  function connect(socket: WebSocket): void {
    let inFlight = 0;
    const send = (message: unknown): void => {
      if (socket.readyState !== WebSocket.OPEN) return;
      let text: string;
      try {
        text = JSON.stringify(message);
      } catch {
        return;
      }
      socket.send(text);
    };
    const fail = (id: number | null, message: string): void => send({ id, error: { message } });

    // Every pushed method of the cashier's page (the customer view goes to the customer socket); the host
    // API validates what it forwards. This connection hears all of them while it is open.
    const stopPushes = forwardPushes(
      api,
      (channel, payload) => send({ channel, payload }),
      cashierPushedMethods,
    );
    socket.on('close', stopPushes);
    // Oversized messages and protocol errors close the socket (ws reports them here first).
    socket.on('error', (error) => log.warn({ error: error.name }, 'terminal socket error'));

    socket.on('message', (data: RawData, isBinary: boolean) => {
      if (isBinary) return fail(null, 'Send requests as JSON text.');
      let json: unknown;
      try {
        json = JSON.parse(rawText(data));
      } catch {
        return fail(null, 'The request is not JSON.');
      }
      const parsed = requestSchema.safeParse(json);
      if (!parsed.success) {
        const id = idOf(json);
        return fail(id, 'A request is { id, channel, args }: id a non-negative integer, args an array.');
      }
      const { id, channel, args } = parsed.data;
      if (!invoked.has(channel))
        return fail(id, `No TerminalApi method is invoked on channel ${JSON.stringify(channel)}.`);
      if (inFlight >= MAX_IN_FLIGHT)
        return fail(id, `Too many requests in flight (at most ${MAX_IN_FLIGHT}).`);
      inFlight += 1;
      invokeHostApi(api, channel, args).then(
        (result) => {
          inFlight -= 1;
          send({ id, result });
        },
        (error: unknown) => {
          inFlight -= 1;
          log.warn(
            { channel, error: error instanceof Error ? error.name : typeof error },
            'TerminalApi call failed',
          );
          fail(id, `The terminal host could not answer on ${channel}.`);
        },
      );
    });
  }

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolveListen();
    });
  });
  const { port } = server.address() as AddressInfo;
  hostPort = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  origin = `http://${hostPort}`;
  csp = browserContentSecurityPolicy(hostPort);
  const launchSecret = createLaunchSecret(port);
  secret = launchSecret;

  let closing: Promise<void> | null = null;
  return {
    url: `${origin}/`,
    origin,
    launchUrl: (page = 'cashier') =>
      `${origin}${PAGE_PATHS[page]}?${LAUNCH_PARAM}=${launchSecret.issueLaunchToken()}`,
    close() {
      closing ??= (async () => {
        for (const client of [...wss.clients, ...customerWss.clients]) client.terminate();
        await new Promise<void>((done) => wss.close(() => done()));
        await new Promise<void>((done) => customerWss.close(() => done()));
        await new Promise<void>((done) => {
          server.close(() => done());
          server.closeAllConnections();
        });
      })();
      return closing;
    },
  };
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  return Buffer.from(new Uint8Array(data)).toString('utf8');
}

/** The id of a request that failed validation, when it has a usable one (so the caller's promise settles). */
function idOf(json: unknown): number | null {
  if (typeof json !== 'object' || json === null || !('id' in json)) return null;
  const { id } = json;
  return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : null;
}
