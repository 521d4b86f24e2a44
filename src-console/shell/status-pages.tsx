// The pages the router shows itself: the home page before the dashboard exists, a page the user's role may
// not open (403), and a path that names no page (404).
import { Link } from '../components/link.js';
import { PageHeader } from '../components/page-header.js';
import type { ConsolePage } from '../page.js';

export function NotFoundPage() {
  return (
    <>
      <PageHeader title="Page not found" description="There is no console page at this address." />
      <p>
        <Link to="">Go to the home page</Link>
      </p>
    </>
  );
}

export function ForbiddenPage({ page }: { page: ConsolePage }) {
  return (
    <>
      <PageHeader title="Not allowed" description={`Your role cannot open ${page.title}.`} />
      <p>Ask an administrator if you need it.</p>
      <p>
        <Link to="">Go to the home page</Link>
      </p>
    </>
  );
}

export function HomePage({ pages }: { pages: readonly ConsolePage[] }) {
  return (
    <>
      <PageHeader title="Loyalty HQ" description="The back office of the loyalty program." />
      <ul className="home-links">
        {pages.map((page) => (
          <li key={page.path}>
            <Link to={page.path}>{page.title}</Link>
          </li>
        ))}
      </ul>
    </>
  );
}
