// Fault injection for the terminal's HTTP traffic to HQ. `lossyFetch` makes the request for real (so HQ
// commits) and then throws to the caller the way a cut connection does: a reply lost after HQ committed.
// That is the case exactly-once delivery exists for (docs/architecture.md section 10): the retry must report
// `duplicate` and HQ must hold the event once.
//
//   const fetch = lossyFetch(globalThis.fetch, { dropReplyAfterCommit: once(isPush) });
//   new TerminalLink({ hqUrl, credentials, fetch });
import type { FetchLike } from '../../src-main/hq/hq-client.js';

export interface LossyFetchOptions {
  /** Which requests lose their reply (called before the request is made). */
  dropReplyAfterCommit: (url: string, init: RequestInit) => boolean;
}

export type LossyFetch = FetchLike & {
  /** Requests whose reply was dropped so far. */
  readonly dropped: number;
};

/** What undici throws when the connection is cut: TypeError('fetch failed') caused by ECONNRESET. */
export function connectionResetError(): TypeError {
  const cause = Object.assign(new Error('other side closed'), { code: 'ECONNRESET' });
  return new TypeError('fetch failed', { cause });
}

export function lossyFetch(realFetch: FetchLike, options: LossyFetchOptions): LossyFetch {
  let dropped = 0;
  const wrapped = async (url: string, init: RequestInit): Promise<Response> => {
    const drop = options.dropReplyAfterCommit(url, init);
    const response = await realFetch(url, init);
    if (!drop) return response;
    // Read the whole answer first: HQ has answered, so whatever it did is committed.
    await response.arrayBuffer();
    dropped += 1;
    throw connectionResetError();
  };
  return Object.defineProperty(wrapped, 'dropped', { get: () => dropped }) as LossyFetch;
}

/** A predicate that is true the first `times` times `match` is (default once), then false. */
export function once(
  match: (url: string, init: RequestInit) => boolean,
  times = 1,
): (url: string, init: RequestInit) => boolean {
  let left = times;
  return (url, init) => {
    if (left <= 0 || !match(url, init)) return false;
    left -= 1;
    return true;
  };
}

/** Matches HQ's push (POST /v1/events). */
export const isPush = (url: string, init: RequestInit): boolean =>
  init.method === 'POST' && new URL(url).pathname.endsWith('/v1/events');
