// A link to a console page: a real <a href> (open in a new tab, copy the address), followed in place by
// the router on a plain click.
import type { MouseEvent, ReactNode } from 'react';
import { consoleHref, navigate } from '../shell/router.js';

export function Link({
  to,
  children,
  className,
  current,
}: {
  /** A page path under /console ('members/0190…'). */
  to: string;
  children: ReactNode;
  className?: string;
  /** Marks the link as the page shown (navigation). */
  current?: boolean;
}) {
  const onClick = (event: MouseEvent<HTMLAnchorElement>): void => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  return (
    <a
      href={consoleHref(to)}
      onClick={onClick}
      className={className}
      aria-current={current ? 'page' : undefined}
    >
      {children}
    </a>
  );
}
