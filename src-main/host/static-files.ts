// The built renderer as files, for both hosts: Electron's app:// handler and the browser host's HTTP server.
// A URL path maps to a file inside the renderer folder or is refused: any `..` segment (raw, percent-encoded
// or with backslashes), a NUL byte or a malformed escape is refused outright rather than normalised away,
// since a browser never sends one for a page of ours. Content types come from a fixed table.
import { readFile } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';

export const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

export const contentTypeOf = (file: string): string =>
  MIME_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';

/**
 * The file a URL path (as in `new URL(url).pathname`, still percent-encoded) names inside `root`; `/` is
 * `index.html`. Null when the path tries to leave the folder or cannot be decoded.
 */
export function resolveStaticPath(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const segments = decoded.split(/[/\\]+/).filter((s) => s !== '' && s !== '.');
  if (segments.some((s) => s === '..' || /^[a-zA-Z]:$/.test(s))) return null;
  const base = resolve(root);
  const file = segments.length === 0 ? join(base, 'index.html') : resolve(base, ...segments);
  return file.startsWith(base + sep) ? file : null;
}

export type StaticFile =
  { status: 200; body: Buffer; contentType: string; file: string } | { status: 403 | 404; body: string };

/** Reads what a URL path names inside `root`: 200 with the bytes, 403 for a path outside, 404 otherwise. */
export async function readStaticFile(root: string, urlPath: string): Promise<StaticFile> {
  const file = resolveStaticPath(root, urlPath);
  if (file === null) return { status: 403, body: 'forbidden' };
  try {
    const body = await readFile(file);
    return { status: 200, body, contentType: contentTypeOf(file), file };
  } catch {
    // Missing, a folder, unreadable: all the same to a client.
    return { status: 404, body: 'not found' };
  }
}
