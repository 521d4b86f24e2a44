// Fake fetches for the terminal's HTTP traffic to HQ, one helper each. `recordingFetch` answers from a
// function and keeps every request. `lossyFetch` injects faults: it makes the request for real (so HQ
// commits) and then throws to the caller the way a cut connection does: a reply lost after HQ committed.
// That is the case exactly-once delivery exists for (docs/architecture.md section 10): the retry must report
// `duplicate` and HQ must hold the event once.
//
//   const fetch = lossyFetch(globalThis.fetch, { dropReplyAfterCommit: once(isPush) });
//   new TerminalLink({ hqUrl, credentials, fetch });
import type { FetchLike } from '../../src-main/hq/hq-client.js';

/** One request a fake fetch saw. */
export interface SeenRequest {
  url: string;
  init: RequestInit;
}

/** A fetch answered by `answer`, recording every request in `calls` (in order). */
export function recordingFetch(answer: (seen: SeenRequest) => Response | Promise<Response>): {
  fetch: FetchLike;
  calls: SeenRequest[];
} {
  const calls: SeenRequest[] = [];
  const fetch: FetchLike = async (url, init) => {
    const seen = { url, init };
    calls.push(seen);
    return answer(seen);
  };
  return { fetch, calls };
}

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
