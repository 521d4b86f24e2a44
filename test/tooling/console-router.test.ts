// The console's router as a pure function: page paths from addresses, `:param` matching (decoded, a
// malformed escape naming no page), static pages before parameter pages, and the 403 / 404 outcomes by role.
import { describe, expect, it } from 'vitest';
import type { ConsolePage } from '../../src-console/page.js';
import { consoleHref, matchPath, pagePathOf, resolveRoute } from '../../src-console/shell/router.js';

const page = (path: string, roles: ConsolePage['roles']): ConsolePage => ({
  path,
  title: path,
  nav: true,
  roles,
  component: () => null,
});

describe('the console router', () => {
  it('reads page paths from addresses and writes addresses from page paths', () => {
    expect(pagePathOf('/console/')).toBe('');
    expect(pagePathOf('/console')).toBe('');
    expect(pagePathOf('/console/members/42/')).toBe('members/42');
    expect(consoleHref('members/42?tab=history')).toBe('/console/members/42?tab=history');
    expect(consoleHref('/console/users')).toBe('/console/users');
    expect(consoleHref('')).toBe('/console/');
  });

  it('matches :params, decoded, and only paths of the same length', () => {
    expect(matchPath('members/:id', 'members/0190%20abc')).toEqual({ id: '0190 abc' });
    expect(matchPath('members/:id/history', 'members/7/history')).toEqual({ id: '7' });
    expect(matchPath('members/:id', 'members')).toBeNull();
    expect(matchPath('members/:id', 'members/1/2')).toBeNull();
    expect(matchPath('members/:id', 'reviews/1')).toBeNull();
    expect(matchPath('members/:id', 'members/%E0%A4%A')).toBeNull();
    expect(matchPath('', '')).toEqual({});
  });

  it('prefers a static page over a parameter page, and says 403 or 404', () => {
    const pages = [
      page('users/:id', ['admin']),
      page('users/new', ['admin']),
      page('reviews', ['admin', 'analyst']),
    ];
    expect(resolveRoute(pages, 'users/new', 'admin')).toMatchObject({
      kind: 'page',
      page: { path: 'users/new' },
    });
    expect(resolveRoute(pages, 'users/7', 'admin')).toMatchObject({ kind: 'page', params: { id: '7' } });
    expect(resolveRoute(pages, 'users/7', 'analyst')).toMatchObject({
      kind: 'forbidden',
      page: { path: 'users/:id' },
    });
    expect(resolveRoute(pages, 'reviews', 'analyst')).toMatchObject({ kind: 'page' });
    expect(resolveRoute(pages, 'nowhere', 'admin')).toEqual({ kind: 'not-found' });
  });

  it("opens the home address for every role: the page there, or the shell's home page", () => {
    const pages = [page('', ['admin', 'analyst']), page('users', ['admin'])];
    expect(resolveRoute(pages, '', 'analyst')).toMatchObject({ kind: 'page', page: { path: '' } });
    expect(resolveRoute(pages, '', 'store-manager')).toEqual({ kind: 'home' });
    expect(resolveRoute([], '', 'admin')).toEqual({ kind: 'home' });
  });

  it('opens the page a role may open when another role has a page at the same path', () => {
    const pages = [page('home', ['admin']), page('home', ['store-manager'])];
    expect(resolveRoute(pages, 'home', 'store-manager')).toMatchObject({
      kind: 'page',
      page: { roles: ['store-manager'] },
    });
  });
});
