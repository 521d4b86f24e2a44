// A page of the console: where it lives under /console, its title in the navigation, who may open it
// (the same roles as the endpoints it calls), and its component. Each area lists its pages in
// screens/<area>/pages.ts; the shell gathers them (pages.ts) into the navigation and the router.
import type { ComponentType } from 'react';
import type { ConsoleUser } from '../src-shared/console/auth.js';
import type { ConsoleRole } from '../src-shared/console/endpoint.js';

export interface PageProps {
  /** The `:name` parts of the page's path. */
  params: Record<string, string>;
  user: ConsoleUser;
  /** Opens another console page (a path under /console, e.g. `members/0190…`). */
  navigate(path: string): void;
}

export interface ConsolePage {
  /** Under /console: '' is the dashboard; `members/:id` has a parameter. */
  path: string;
  title: string;
  /** Shown in the navigation (a detail page such as `members/:id` is not). */
  nav: boolean;
  roles: readonly ConsoleRole[];
  component: ComponentType<PageProps>;
}
