// A Node client let into the browser host as its own page is: it opens a launch URL, keeps the session
// cookie the host hands back, and sends it with its requests and its WebSocket upgrade.
import WebSocket from 'ws';
import type { BrowserHost } from '../../../src-main/host/browser-host.js';

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
