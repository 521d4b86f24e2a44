// Loading and error states every screen shows the same way: a polite status while HQ answers, HQ's own
// words (and every problem with its field) when it refuses, with a way to try again.
import type { ReactNode } from 'react';
import type { ConsoleApiError } from '../api/client.js';
import type { ConsoleQuery } from './use-console-query.js';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p className="state state-loading" role="status">
      {label}
    </p>
  );
}

export function ErrorMessage({ error, onRetry }: { error: ConsoleApiError | Error; onRetry?: () => void }) {
  const problems = 'problems' in error ? error.problems : [];
  return (
    <div className="state state-error" role="alert">
      <p>{error.message}</p>
      {problems.length > 0 && (
        <ul>
          {problems.map((p) => (
            <li key={`${p.path}:${p.message}`}>
              <code>{p.path}</code>: {p.message}
            </li>
          ))}
        </ul>
      )}
      {onRetry && (
        <button type="button" className="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

/** A query's answer through `children`, or its loading or error state (the last answer stays while reloading). */
export function Loaded<T>({
  query,
  children,
  loadingLabel,
}: {
  query: ConsoleQuery<T>;
  children: (data: T) => ReactNode;
  loadingLabel?: string;
}) {
  if (query.error && !query.loading) return <ErrorMessage error={query.error} onRetry={query.reload} />;
  if (query.data === null) return <Loading {...(loadingLabel ? { label: loadingLabel } : {})} />;
  return <div aria-busy={query.loading}>{children(query.data)}</div>;
}

/** A form's outcome above its fields: HQ's refusal (an alert) or what was done (a status). */
export function FormFeedback({ error, success }: { error?: string | null; success?: string | null }) {
  return (
    <>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {success && !error && (
        <p className="notice" role="status">
          {success}
        </p>
      )}
    </>
  );
}
