// The terminal's HTTP client for HQ's /v1 API (docs/hq-api.md): fetch with a time limit, the protocol
// header and the bearer token on every call, every answer validated with the shared wire schemas, and every
// failure turned into an HqError a cashier screen can act on. Nothing it returns carries the token or HQ's
// address: messages are written here or scrubbed, never copied from a network error (undici's name the
// host and port).
import { z } from 'zod';
import type { HqError, HqLookupQuery, HqResult } from '../../src-shared/ipc/hq-api.js';
import { err, ok } from '../../src-shared/kernel/result.js';
import type { SignedEvent } from '../../src-shared/lan/signature.js';
import type { LedgerEvent } from '../../src-shared/ledger/events.js';
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '../../src-shared/sync/protocol.js';
import { scopeFetchResponseSchema, scopePhoneFetchResponseSchema } from '../../src-shared/sync/scope.js';
import { SNAPSHOT_CONTENT_TYPE } from '../../src-shared/sync/snapshot.js';
import {
  cashierDocSchema,
  closeResponseSchema,
  enrollResponseSchema,
  errorBodySchema,
  eventDocSchema,
  healthSchema,
  lanReportResponseSchema,
  memberDocSchema,
  productDocSchema,
  programDocSchema,
  pullResponseSchema,
  pushResponseSchema,
  phoneKeyResponseSchema,
  staffPinsResponseSchema,
  storeSettingsResponseSchema,
  storePeersResponseSchema,
  type Checkpoint,
  type CloseFigures,
  type CloseResponse,
  type CollectionName,
  type EnrollResponse,
  type Health,
  type LanReportResponse,
  type MemberDoc,
  type PushResponse,
  type StaffPin,
  type StoreSettings,
  type StorePeersResponse,
} from '../../src-shared/sync/wire.js';

/** The part of the global fetch the client uses (tests inject fakes and fault wrappers). */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export const DEFAULT_TIMEOUT_MS = 15_000;

/** Problems listed in an error, at most (an answer that fits nothing could list thousands). */
const MAX_PROBLEMS = 20;

const documentSchemas = {
  members: memberDocSchema,
  products: productDocSchema,
  programs: programDocSchema,
  cashiers: cashierDocSchema,
  events: eventDocSchema,
} as const satisfies Record<CollectionName, z.ZodType>;

/**
 * HQ's base URL in one canonical form: http(s), no credentials, query or fragment, no trailing slash
 * (`https://hq.example.com`, `https://example.com/loyalty`). Throws for anything else.
 */
export function normaliseHqUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new Error('HQ address must be an http:// or https:// URL.');
  }
  if (parsed.username || parsed.password)
    throw new Error('HQ address must not carry a user name or password.');
  if (parsed.search || parsed.hash) throw new Error('HQ address must not carry a query or fragment.');
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`;
}

export interface HqClientOptions {
  /** HQ's base URL, e.g. https://hq.example.com. */
  baseUrl: string;
  /** The terminal token; without it, calls that need one answer 'not-enrolled' and send nothing. */
  token?: string | null;
  /** Default: the global fetch. */
  fetch?: FetchLike;
  /** Time limit of each request, answer body included (default 15 s); for the stream, until it opens. */
  timeoutMs?: number;
}

interface RequestSpec<T> {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  /** Send the bearer token (default true). */
  auth?: boolean;
  schema: z.ZodType<T>;
}

const hqError = (code: HqError['code'], message: string, problems?: HqError['problems']): HqError =>
  problems && problems.length > 0 ? { code, message, problems } : { code, message };

export class HqClient {
  readonly baseUrl: string;
  private readonly token: string | null;
  private readonly fetch: FetchLike;
  private readonly timeoutMs: number;

  constructor(options: HqClientOptions) {
    this.baseUrl = normaliseHqUrl(options.baseUrl);
    this.token = options.token ?? null;
    this.fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** GET /v1/health (no token). */
  health(): Promise<HqResult<Health>> {
    return this.request({ method: 'GET', path: 'v1/health', auth: false, schema: healthSchema });
  }

  /**
   * POST /v1/terminals/enroll (no token): a one-time code for this terminal's credential. With the
   * terminal's store-LAN public key (issue 16), HQ also answers with its credential over it.
   */
  enroll(code: string, name: string, publicKey?: string): Promise<HqResult<EnrollResponse>> {
    return this.request({
      method: 'POST',
      path: 'v1/terminals/enroll',
      body: publicKey === undefined ? { code, name } : { code, name, publicKey },
      auth: false,
      schema: enrollResponseSchema,
    });
  }

  /**
   * GET /v1/pull/:collection. Each document is checked against its collection's schema; the documents
   * are returned as HQ sent them (no defaults filled in), so hashed content stays byte-for-byte HQ's.
   */
  async pull(
    collection: CollectionName,
    checkpoint: Checkpoint | null,
    limit: number,
  ): Promise<HqResult<{ documents: unknown[]; checkpoint: Checkpoint }>> {
    const query: Record<string, string> = { limit: String(limit) };
    if (checkpoint !== null) query.checkpoint = String(checkpoint.seq);
    const schema = pullResponseSchema(documentSchemas[collection]);
    const raw = await this.request({
      method: 'GET',
      path: `v1/pull/${encodeURIComponent(collection)}`,
      query,
      schema: z.unknown(),
    });
    if (!raw.ok) return raw;
    const parsed = this.fits(schema, raw.value);
    if (!parsed.ok) return parsed;
    return ok({
      documents: (raw.value as { documents: unknown[] }).documents,
      checkpoint: parsed.value.checkpoint,
    });
  }

  /** POST /v1/events: `duplicate` is success (an identical re-push after a lost reply). */
  push(events: readonly LedgerEvent[]): Promise<HqResult<PushResponse>> {
    return this.request({ method: 'POST', path: 'v1/events', body: { events }, schema: pushResponseSchema });
  }

  /**
   * POST /v1/events/relay (issue 16): events of another till of the store, in their origin's signed
   * envelopes, all of one origin. Answered as a push: `duplicate` is success (HQ had the event already,
   * from its origin or another relay); a refused envelope refuses the whole batch ('rejected').
   */
  relay(events: readonly SignedEvent[]): Promise<HqResult<PushResponse>> {
    return this.request({
      method: 'POST',
      path: 'v1/events/relay',
      body: { events },
      schema: pushResponseSchema,
    });
  }

  /** POST /v1/close: the day's figures reconciled against HQ's. */
  close(figures: CloseFigures): Promise<HqResult<CloseResponse>> {
    return this.request({ method: 'POST', path: 'v1/close', body: figures, schema: closeResponseSchema });
  }

  /**
   * A member outside the replica, by card (POST /v1/scope/members) or phone hash (.../by-phone): HQ also
   * keeps them for this terminal's store, so their later changes come through the pull
   * (src-shared/sync/scope.ts). Documents as HQ sent them.
   */
  async lookup(query: HqLookupQuery): Promise<HqResult<MemberDoc[]>> {
    if ('card' in query) {
      const raw = await this.request({
        method: 'POST',
        path: 'v1/scope/members',
        body: { card: query.card },
        schema: z.unknown(),
      });
      if (!raw.ok) return raw;
      const parsed = this.fits(scopeFetchResponseSchema, raw.value);
      if (!parsed.ok) return parsed;
      const { member } = raw.value as { member: MemberDoc | null };
      return ok(member === null ? [] : [member]);
    }
    const raw = await this.request({
      method: 'POST',
      path: 'v1/scope/members/by-phone',
      body: { phoneHash: query.phoneHash },
      schema: z.unknown(),
    });
    if (!raw.ok) return raw;
    const parsed = this.fits(scopePhoneFetchResponseSchema, raw.value);
    if (!parsed.ok) return parsed;
    return ok((raw.value as { members: MemberDoc[] }).members);
  }

  /** GET /v1/staff-pins: the PIN hashes of this terminal's store's staff, for main's PIN check only. */
  async staffPins(): Promise<HqResult<StaffPin[]>> {
    const answer = await this.request({
      method: 'GET',
      path: 'v1/staff-pins',
      schema: staffPinsResponseSchema,
    });
    return answer.ok ? ok(answer.value.staff) : answer;
  }

  /** GET /v1/store-settings: this terminal's store's counter settings (idle timeouts, close time). */
  async storeSettings(): Promise<HqResult<StoreSettings>> {
    const answer = await this.request({
      method: 'GET',
      path: 'v1/store-settings',
      schema: storeSettingsResponseSchema,
    });
    return answer.ok ? ok(answer.value.settings) : answer;
  }

  /** GET /v1/phone-key: the chain's phone key (a terminal enrolled before HQ handed it out). */
  async phoneKey(): Promise<HqResult<string>> {
    const answer = await this.request({
      method: 'GET',
      path: 'v1/phone-key',
      schema: phoneKeyResponseSchema,
    });
    return answer.ok ? ok(answer.value.phoneKey) : answer;
  }

  /** GET /v1/store/peers: HQ's public key, the store's other tills' credentials and addresses, revoked keys. */
  storePeers(): Promise<HqResult<StorePeersResponse>> {
    return this.request({ method: 'GET', path: 'v1/store/peers', schema: storePeersResponseSchema });
  }

  /** PUT /v1/terminals/me/lan: this terminal's LAN addresses (host:port), replacing its last report. */
  reportLan(addresses: readonly string[]): Promise<HqResult<LanReportResponse>> {
    return this.request({
      method: 'PUT',
      path: 'v1/terminals/me/lan',
      body: { addresses },
      schema: lanReportResponseSchema,
    });
  }

  /**
   * Opens GET /v1/stream and hands back its body once HQ has answered 200 with an event stream. The time
   * limit covers the opening only; `signal` ends the stream.
   */
  openStream(signal: AbortSignal): Promise<HqResult<ReadableStream<Uint8Array>>> {
    return this.openBody({
      path: 'v1/stream',
      query: {},
      accept: 'text/event-stream',
      headers: {},
      what: 'the event stream',
      refusal: 'HQ answered the event stream with something else than events.',
      signal,
    });
  }

  /**
   * Opens GET /v1/snapshot/members (gzip; fetch inflates it) and hands back its body once HQ has answered
   * 200 with NDJSON: from the beginning, or resuming after `after` at `checkpoint`. The time limit covers
   * the opening only; `signal` ends the body (the reader, snapshot-relay.ts, bounds each read).
   */
  openSnapshot(
    position: { checkpoint: Checkpoint | null; after: string | null },
    signal: AbortSignal,
  ): Promise<HqResult<ReadableStream<Uint8Array>>> {
    const query: Record<string, string> = {};
    if (position.checkpoint !== null) query.checkpoint = String(position.checkpoint.seq);
    if (position.after !== null) query.after = position.after;
    return this.openBody({
      path: 'v1/snapshot/members',
      query,
      accept: SNAPSHOT_CONTENT_TYPE,
      headers: { 'accept-encoding': 'gzip' },
      what: 'the snapshot',
      refusal: 'HQ answered the snapshot with something else than NDJSON.',
      signal,
    });
  }

  /**
   * A long response HQ streams (the event stream, a snapshot): its body once HQ has answered 200 with the
   * `accept` type. Only the opening is timed; the body runs until `signal` or its end.
   */
  private async openBody(spec: {
    path: string;
    query: Record<string, string>;
    accept: string;
    headers: Record<string, string>;
    what: string;
    refusal: string;
    signal: AbortSignal;
  }): Promise<HqResult<ReadableStream<Uint8Array>>> {
    if (this.token === null) return err(this.notEnrolled());
    const opening = new AbortController();
    const timer = setTimeout(
      () => opening.abort(new DOMException(`${spec.what} did not open in time`, 'TimeoutError')),
      this.timeoutMs,
    );
    let response: Response;
    try {
      response = await this.fetch(this.url(spec.path, spec.query), {
        method: 'GET',
        headers: { ...this.headers(true), accept: spec.accept, ...spec.headers },
        signal: AbortSignal.any([spec.signal, opening.signal]),
      });
    } catch (error) {
      return err(this.networkError(error));
    } finally {
      clearTimeout(timer);
    }
    if (!response.ok) {
      const text = await response.text().catch(() => '');
      return err(this.statusError(response, text));
    }
    const type = response.headers.get('content-type') ?? '';
    if (!type.startsWith(spec.accept) || !response.body) {
      await response.body?.cancel().catch(() => undefined);
      return err(hqError('server-error', spec.refusal));
    }
    return ok(response.body);
  }

  private async request<T>(spec: RequestSpec<T>): Promise<HqResult<T>> {
    const auth = spec.auth ?? true;
    if (auth && this.token === null) return err(this.notEnrolled());
    const headers: Record<string, string> = { ...this.headers(auth), accept: 'application/json' };
    if (spec.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    let text: string;
    try {
      response = await this.fetch(this.url(spec.path, spec.query), {
        method: spec.method,
        headers,
        ...(spec.body === undefined ? {} : { body: JSON.stringify(spec.body) }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      // Inside the try: the time limit covers the body, and a connection cut mid-answer is "offline".
      text = await response.text();
    } catch (error) {
      return err(this.networkError(error));
    }
    if (!response.ok) return err(this.statusError(response, text));
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return err(hqError('server-error', `HQ's answer is not JSON (protocol ${PROTOCOL_VERSION}).`));
    }
    return this.fits(spec.schema, json);
  }

  /** Validates an answer: one that does not fit is HQ's fault (or another protocol's), never the caller's. */
  private fits<T>(schema: z.ZodType<T>, json: unknown): HqResult<T> {
    const parsed = schema.safeParse(json);
    if (parsed.success) return ok(parsed.data);
    // Paths only: the messages could quote what HQ sent, and that may be personal data.
    const problems = parsed.error.issues.slice(0, MAX_PROBLEMS).map((issue) => ({
      path: issue.path.map(String).join('.'),
      message: issue.code,
    }));
    return err(
      hqError(
        'server-error',
        `HQ's answer does not fit protocol ${PROTOCOL_VERSION} (${parsed.error.issues.length} problems): ` +
          'is this HQ a different version?',
        problems,
      ),
    );
  }

  private url(path: string, query?: Record<string, string>): string {
    const search = query ? `?${new URLSearchParams(query).toString()}` : '';
    return `${this.baseUrl}/${path}${search}`;
  }

  private headers(auth: boolean): Record<string, string> {
    const headers: Record<string, string> = { [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) };
    if (auth && this.token !== null) headers.authorization = `Bearer ${this.token}`;
    return headers;
  }

  private notEnrolled(): HqError {
    return hqError(
      'not-enrolled',
      'This terminal is not enrolled with HQ yet: enroll it with a one-time code.',
    );
  }

  /** A failure before any HTTP answer: HQ cannot be reached. The words are ours, never the error's. */
  private networkError(cause: unknown): HqError {
    return hqError('offline', `HQ cannot be reached: ${describeNetworkFailure(cause, this.timeoutMs)}`);
  }

  private statusError(response: Response, text: string): HqError {
    const status = response.status;
    const body = parseErrorBody(text);
    const fromHq = response.headers.has(PROTOCOL_HEADER);
    const said = (fallback: string): string => (body ? this.scrub(body.message) : fallback);
    const problems = body?.problems
      ?.slice(0, 200)
      .map((p) => ({ path: this.scrub(p.path), message: this.scrub(p.message) }));
    if (status === 401) {
      return hqError(
        'unauthorised',
        said('HQ refused this terminal’s credential: enroll the terminal again.'),
      );
    }
    if (status === 426) {
      return hqError('upgrade-required', said('HQ needs a newer version of the terminal software.'));
    }
    if (status === 408 || status === 429) {
      return hqError('server-error', `HQ is busy (HTTP ${status}): retry later.`);
    }
    if (status >= 400 && status < 500) {
      return hqError('rejected', said(`HQ rejected the request (HTTP ${status}).`), problems);
    }
    // A gateway in front of HQ answering for it: HQ itself is not reachable.
    if (!fromHq && (status === 502 || status === 503 || status === 504)) {
      return hqError('offline', `HQ cannot be reached: its gateway answered HTTP ${status}.`);
    }
    return hqError('server-error', said(`HQ failed (HTTP ${status}): retry later.`));
  }

  /** Removes the token and HQ's address from words that came from HQ (defence in depth). */
  private scrub(text: string): string {
    let out = text;
    const url = new URL(this.baseUrl);
    const secrets = [this.token, this.baseUrl, url.origin, url.host, url.hostname].filter(
      (s): s is string => typeof s === 'string' && s.length >= 3,
    );
    for (const secret of secrets) out = out.split(secret).join(secret === this.token ? '[token]' : 'HQ');
    return out;
  }
}

function parseErrorBody(text: string) {
  try {
    const parsed = errorBodySchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

const errorCode = (error: unknown): string | undefined => {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
};

/** Why a request got no answer, in words that name neither the host nor the port. */
export function describeNetworkFailure(failure: unknown, timeoutMs: number): string {
  const name = failure instanceof Error || failure instanceof DOMException ? failure.name : '';
  if (name === 'TimeoutError') return `no answer within ${Math.round(timeoutMs / 100) / 10} s.`;
  if (name === 'AbortError') return 'the request was cancelled.';
  // undici: TypeError('fetch failed', { cause }) with the system error (or an undici error) as the cause.
  const cause = failure instanceof Error ? failure.cause : undefined;
  const code = errorCode(cause) ?? errorCode(failure) ?? '';
  if (code === 'ECONNREFUSED') return 'the connection was refused (is HQ running?).';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'its name does not resolve (check the network).';
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET') {
    return 'the connection was cut.';
  }
  if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT') {
    return 'the connection timed out.';
  }
  if (code === 'ENETUNREACH' || code === 'EHOSTUNREACH' || code === 'ENETDOWN') {
    return 'no route to HQ (check the network).';
  }
  if (/CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) return 'its TLS certificate is not trusted.';
  return 'the network request failed.';
}
