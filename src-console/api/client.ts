// The console's one way to HQ: an endpoint of the contract and its input in, the endpoint's checked answer
// out. The session cookie travels by itself (same origin, httpOnly); writes add the CSRF token that sign-in
// and `session` hand the page. A refusal becomes a ConsoleApiError with HQ's code, words and problems.
import {
  CSRF_HEADER,
  endpointUrl,
  type AnyEndpoint,
  type BodyOf,
  type ParamsOf,
  type QueryOf,
  type ResponseOf,
} from '../../src-shared/console/endpoint.js';

export interface Problem {
  path: string;
  message: string;
}

export class ConsoleApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly problems: readonly Problem[] = [],
  ) {
    super(message);
    this.name = 'ConsoleApiError';
  }
}

let csrfToken: string | null = null;
let onSignedOut: (() => void) | null = null;

/** Set by sign-in and by the session check; cleared at sign-out. */
export const setCsrfToken = (token: string | null): void => void (csrfToken = token);

/** Called when HQ answers 401 (the session ended): the shell shows the sign-in page. */
export const whenSignedOut = (callback: (() => void) | null): void => void (onSignedOut = callback);

export interface CallInput<E> {
  params?: ParamsOf<E>;
  query?: QueryOf<E>;
  body?: BodyOf<E>;
}

function queryString(query: object | undefined): string {
  if (!query) return '';
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

export async function callConsole<E extends AnyEndpoint>(
  endpoint: E,
  input: CallInput<E> = {},
): Promise<ResponseOf<E>> {
  const url = endpointUrl(endpoint.path, input.params ?? {}) + queryString(input.query);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (endpoint.method !== 'GET') {
    headers['content-type'] = 'application/json';
    if (csrfToken) headers[CSRF_HEADER] = csrfToken;
  }
  let response: Response;
  try {
    response = await fetch(url, {
      method: endpoint.method,
      headers,
      credentials: 'same-origin',
      ...(endpoint.method === 'GET' ? {} : { body: JSON.stringify(input.body ?? {}) }),
    });
  } catch {
    throw new ConsoleApiError(0, 'offline', 'HQ cannot be reached. Check the connection and try again.');
  }
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON (a proxy's error page): the status alone speaks.
  }
  if (!response.ok) {
    const body = (json ?? {}) as { error?: string; message?: string; problems?: Problem[] };
    if (response.status === 401 && endpoint.roles !== 'public') onSignedOut?.();
    throw new ConsoleApiError(
      response.status,
      body.error ?? 'error',
      body.message ?? `HQ answered ${response.status}.`,
      body.problems ?? [],
    );
  }
  const parsed = endpoint.response.safeParse(json);
  if (!parsed.success)
    throw new ConsoleApiError(500, 'contract', 'HQ answered something this console does not understand.');
  return parsed.data as ResponseOf<E>;
}

/** A file download of a GET endpoint that answers a file (CSV, JSON export): the browser saves it. */
export function downloadUrl<E extends AnyEndpoint>(endpoint: E, input: CallInput<E> = {}): string {
  return endpointUrl(endpoint.path, input.params ?? {}) + queryString(input.query);
}
