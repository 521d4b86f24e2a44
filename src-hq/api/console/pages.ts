// The console's pages: the built single-page app (out/console, `npm run build:console`) under /console/.
// A path naming a static file (a known extension) is that file or a 404; every other path under /console/
// is index.html, whose router (src-console) picks the page. Hashed assets (assets/) are cached for a year,
// everything else is revalidated, so a new build shows on the next load. Every answer carries a strict
// CSP: the console runs only its own scripts and styles (no inline code, no eval), talks only to HQ, and
// cannot be framed. The folder is looked up on each request: HQ starts without a build (the pages answer a
// 503 saying how to build them) and serves one as soon as it appears.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

export const CONSOLE_DIR = resolve(import.meta.dirname, '../../../out/console');

export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

const SECURITY_HEADERS = {
  'content-security-policy': CONSOLE_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
} as const;

/** A path ending in one of these is a file of the build; anything else is a page of the router. */
const STATIC_FILE = /\.(?:html|js|mjs|css|map|json|txt|webmanifest|png|jpe?g|gif|svg|ico|webp|woff2?|ttf)$/i;

const NOT_BUILT = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><title>Loyalty HQ: console not built</title></head>
  <body>
    <main>
      <h1>The console is not built yet</h1>
      <p>HQ is running, but it has no console to serve. Run <code>npm run build:console</code> in the
      project folder, then reload this page.</p>
    </main>
  </body>
</html>
`;

export interface ConsolePagesOptions {
  /** The built console (default out/console). */
  dir?: string;
}

export function consolePages(app: FastifyInstance, options: ConsolePagesOptions = {}): void {
  const dir = options.dir ?? CONSOLE_DIR;
  // In its own scope: the reply.sendFile decorator and the headers hook stay with the console's routes.
  void app.register(async (scope) => {
    await scope.register(fastifyStatic, { root: dir, serve: false, suppressWarning: true });
    scope.addHook('onRequest', async (_request, reply) => {
      void reply.headers(SECURITY_HEADERS);
    });

    scope.get('/console', (_request, reply) => reply.redirect('/console/', 302));

    scope.get<{ Params: { '*': string } }>('/console/*', (request, reply) => {
      const path = request.params['*'];
      if (STATIC_FILE.test(path) && path !== 'index.html') {
        return path.startsWith('assets/')
          ? reply.sendFile(path, dir, { maxAge: '365d', immutable: true })
          : reply.header('cache-control', 'no-cache').sendFile(path, dir, { cacheControl: false });
      }
      return sendIndex(reply, dir);
    });
  });
}

function sendIndex(reply: FastifyReply, dir: string): FastifyReply {
  void reply.header('cache-control', 'no-cache');
  if (!existsSync(join(dir, 'index.html')))
    return reply.code(503).header('retry-after', '30').type('text/html; charset=utf-8').send(NOT_BUILT);
  return reply.sendFile('index.html', dir, { cacheControl: false });
}
