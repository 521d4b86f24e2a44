// The console's router: paths under /console/ in the browser's history (pushState; back and forward are
// popstate), matched against the pages' patterns (`members/:id`). A page path is written without the
// /console/ prefix ('' is the home page); navigate() takes either form, with an optional ?query.
import { useSyncExternalStore } from 'react';
import type { ConsolePage } from '../page.js';

export const CONSOLE_BASE = '/console/';

const listeners = new Set<() => void>();
const notify = (): void => listeners.forEach((listener) => listener());
let listening = false;

function subscribe(listener: () => void): () => void {
  if (!listening) {
    window.addEventListener('popstate', notify);
    listening = true;
  }
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** A page path from a location pathname: '/console/members/1' → 'members/1' (decoded per segment later). */
export function pagePathOf(pathname: string): string {
  const path = pathname.startsWith(CONSOLE_BASE)
    ? pathname.slice(CONSOLE_BASE.length)
    : pathname === '/console'
      ? ''
      : pathname.replace(/^\/+/, '');
  return path.replace(/\/+$/, '');
}

/** The full URL of a page path ('members/1?tab=history' → '/console/members/1?tab=history'). */
export function consoleHref(path: string): string {
  if (path.startsWith(CONSOLE_BASE)) return path;
  return CONSOLE_BASE + path.replace(/^\/+/, '');
}

/** Opens a console page (a path under /console, e.g. `members/0190…`), adding it to the history. */
export function navigate(path: string, options: { replace?: boolean } = {}): void {
  const href = consoleHref(path);
  if (href === window.location.pathname + window.location.search) return;
  if (options.replace) window.history.replaceState(null, '', href);
  else window.history.pushState(null, '', href);
  notify();
}

/** The current page path (without /console/ and the query); re-renders on navigation. */
export function useLocationPath(): string {
  return useSyncExternalStore(subscribe, () => pagePathOf(window.location.pathname));
}

/** The current query string's parameters; re-renders on navigation. */
export function useSearch(): URLSearchParams {
  const search = useSyncExternalStore(subscribe, () => window.location.search);
  return new URLSearchParams(search);
}

/** The `:name` parts of `path` when it matches `pattern`, or null. Both are page paths (no /console/). */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/').filter(Boolean);
  const have = path.split('/').filter(Boolean);
  if (want.length !== have.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const part = want[i] as string;
    const value = have[i] as string;
    if (part.startsWith(':')) {
      try {
        params[part.slice(1)] = decodeURIComponent(value);
      } catch {
        return null; // a malformed %-escape names no page
      }
    } else if (part !== value) {
      return null;
    }
  }
  return params;
}

export type Route =
  | { kind: 'page'; page: ConsolePage; params: Record<string, string> }
  | { kind: 'forbidden'; page: ConsolePage }
  /** The home address with no page this role may open there: the shell lists the user's pages. */
  | { kind: 'home' }
  | { kind: 'not-found' };

/**
 * The page at `path` for a user of `role`: the first matching page they may open (static patterns before
 * `:param` ones); forbidden when only pages of other roles match. The home address ('') is never
 * forbidden or missing: without a page there for the role, it is the shell's home page.
 */
export function resolveRoute(pages: readonly ConsolePage[], path: string, role: string): Route {
  const ordered = [...pages].sort((a, b) => paramCount(a.path) - paramCount(b.path));
  let forbidden: ConsolePage | null = null;
  for (const page of ordered) {
    const params = matchPath(page.path, path);
    if (!params) continue;
    if ((page.roles as readonly string[]).includes(role)) return { kind: 'page', page, params };
    forbidden ??= page;
  }
  if (path === '') return { kind: 'home' };
  return forbidden ? { kind: 'forbidden', page: forbidden } : { kind: 'not-found' };
}

const paramCount = (pattern: string): number => pattern.split('/').filter((p) => p.startsWith(':')).length;
