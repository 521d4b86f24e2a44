// A Node client let into the browser host as its own page is: it opens a launch URL, keeps the session
// cookie the host hands back, and sends it with its requests and its WebSocket upgrade.
import WebSocket from 'ws';
import type { BrowserHost } from '../../../src-main/host/browser-host.js';
import type { RecordingClient } from './fakes.js';

/** The `name=value` of the session cookie, got by spending a fresh launch URL (as a browser would). */
export async function sessionCookie(host: BrowserHost): Promise<string> {
  const response = await fetch(host.launchUrl(), { redirect: 'manual' });
  if (response.status !== 303) throw new Error(`the launch URL answered ${response.status}`);
  const [cookie] = response.headers.getSetCookie();
  const pair = cookie?.split(';')[0];
  if (!pair) throw new Error('the launch URL set no cookie');
  return pair;
}

/**
 * fakes.ts's openClient with request headers (a Cookie): a ws client that records every message. Its one
 * difference is the headers; fakes.ts's would do once it takes them.
 */
export async function openClientWith(
  url: string,
  origin: string | undefined,
  headers: Record<string, string>,
): Promise<RecordingClient> {
  const socket = new WebSocket(url, { ...(origin === undefined ? {} : { origin }), headers });
  const messages: unknown[] = [];
  const waiters: Array<{
    check: (m: Record<string, unknown>) => boolean;
    done: (m: Record<string, unknown>) => void;
  }> = [];
  const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as Record<string, unknown>;
    messages.push(message);
    for (const waiter of [...waiters]) {
      if (waiter.check(message)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.done(message);
      }
    }
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const next = (check: (m: Record<string, unknown>) => boolean) => {
    const found = (messages as Record<string, unknown>[]).find(check);
    if (found) return Promise.resolve(found);
    return new Promise<Record<string, unknown>>((done) => waiters.push({ check, done }));
  };
  return {
    socket,
    messages,
    next,
    call(id, channel, ...args) {
      socket.send(JSON.stringify({ id, channel, args }));
      return next((m) => m.id === id);
    },
    closed,
  };
}

/**
 * The status a WebSocket upgrade gets (101 when it opens), with the given Origin and headers; the socket
 * is dropped straight away either way.
 */
export async function upgradeStatus(
  url: string,
  origin: string | undefined,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  const socket = new WebSocket(url, { ...(origin === undefined ? {} : { origin }), headers });
  const result = await new Promise<{ status: number; body: string }>((resolve) => {
    socket.once('unexpected-response', (_req, res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    socket.once('open', () => resolve({ status: 101, body: '' }));
    socket.once('error', () => undefined);
  });
  socket.terminate();
  return result;
}
