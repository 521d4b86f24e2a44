// The signed-in console: a header (the chain's back office, who is signed in, Sign out), the navigation
// (the pages the user's role may open, in the areas' order) and the page the address names (or the 403
// and 404 pages). On every navigation the page's title becomes the document's and focus moves to the
// page, so a screen reader hears where it arrived.
import { useEffect, useRef } from 'react';
import type { ConsoleUser } from '../../src-shared/console/auth.js';
import { Link } from '../components/link.js';
import { ROLE_LABELS } from '../components/roles.js';
import type { ConsolePage } from '../page.js';
import { navigate, resolveRoute, useLocationPath } from './router.js';
import { ForbiddenPage, HomePage, NotFoundPage } from './status-pages.js';

export function Layout({
  user,
  pages,
  onSignOut,
}: {
  user: ConsoleUser;
  pages: readonly ConsolePage[];
  onSignOut: () => void;
}) {
  const path = useLocationPath();
  const route = resolveRoute(pages, path, user.role);
  const navPages = pages.filter((page) => page.nav && page.roles.includes(user.role));
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);

  const title =
    route.kind === 'page'
      ? route.page.title
      : route.kind === 'forbidden'
        ? 'Not allowed'
        : route.kind === 'home'
          ? 'Home'
          : 'Page not found';
  useEffect(() => {
    document.title = `${title} · Loyalty HQ`;
    if (first.current) first.current = false;
    else main.current?.focus();
  }, [path, title]);

  const current = route.kind === 'page' ? route.page.path : null;
  return (
    <div className="layout">
      <a className="skip-link" href="#content">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="" className="brand">
          Loyalty HQ
        </Link>
        <div className="topbar-user">
          <span className="user-name">{user.name}</span>
          <span className="user-role">{ROLE_LABELS[user.role]}</span>
          <button type="button" className="button button-small" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      </header>
      <nav className="sidenav" aria-label="Console">
        <ul>
          {navPages.map((page) => (
            <li key={page.path}>
              <Link to={page.path} current={page.path === current}>
                {page.title}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <main className="content" id="content" ref={main} tabIndex={-1}>
        {route.kind === 'page' ? (
          <route.page.component key={path} params={route.params} user={user} navigate={navigate} />
        ) : route.kind === 'forbidden' ? (
          <ForbiddenPage page={route.page} />
        ) : route.kind === 'home' ? (
          <HomePage pages={navPages} />
        ) : (
          <NotFoundPage />
        )}
      </main>
    </div>
  );
}
