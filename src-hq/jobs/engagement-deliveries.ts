// The worker that hands re-engagement segments to the chain's messaging tool. Each tick sends every due
// batch (src-hq/store/engagement/deliveries.ts): POST of the batch's stored body, signed with the
// webhook's secret (src-shared/engagement/signature.ts) and carrying its idempotency key. A 2xx answer is
// a success; anything else (an error status, a redirect, no answer within the timeout, no webhook set) is
// a failed attempt, retried after the backoff (src-shared/kernel/backoff.ts) until the last attempt fails
// the delivery. A success HQ did not hear (the answer lost) is sent again with the same key: the receiver
// keeps the first and answers 2xx to the rest. Time comes from the Clock and the poll from Timers, so tests
// drive ticks by hand; all state is in the database, so a restarted HQ carries on where it stopped.
import { backoffDelay, type Backoff, type Random } from '../../src-shared/kernel/backoff.js';
import type { Clock } from '../../src-shared/kernel/clock.js';
import { systemTimers, type TimerHandle, type Timers } from '../../src-shared/kernel/timers.js';
import {
  IDEMPOTENCY_HEADER,
  SIGNATURE_HEADER,
  signatureHeader,
} from '../../src-shared/engagement/signature.js';
import type { Db } from '../db/database.js';
import {
  batchKey,
  claimDue,
  recordFailure,
  recordSent,
  type ClaimedBatch,
} from '../store/engagement/deliveries.js';
import { webhookTarget } from '../store/engagement/webhook.js';

export interface DeliveryOptions {
  /** The HTTP client (default: the global fetch). */
  fetch?: typeof fetch;
  /** How long to wait for an answer (default 10 s). */
  timeoutMs?: number;
  /** Attempts per batch before the delivery fails (default 8). */
  maxAttempts?: number;
  /** Waits between attempts (default 30 s doubling to at most an hour, a fifth of it random). */
  backoff?: Backoff;
  random?: Random;
  /** How long a claimed delivery is held before another worker may take it (default 2 minutes). */
  leaseMs?: number;
}

export const DEFAULT_DELIVERY_BACKOFF: Backoff = {
  initialMs: 30_000,
  maxMs: 3_600_000,
  factor: 2,
  jitter: 0.2,
};
export const DEFAULT_MAX_ATTEMPTS = 8;

export interface DeliveryTick {
  /** Batches answered with success. */
  sent: number;
  /** Attempts that failed (retried later or failing their delivery). */
  failed: number;
  /** Deliveries failed for good in this tick. */
  gaveUp: number;
}

/** One attempt; resolves with null on success, or what went wrong. */
async function attempt(
  db: Db,
  clock: Clock,
  claimed: ClaimedBatch,
  options: DeliveryOptions,
): Promise<string | null> {
  if (claimed.body === null) return 'the batch has no body to send';
  const target = await webhookTarget(db);
  if (!target) return 'no messaging tool webhook is set';
  const doFetch = options.fetch ?? fetch;
  try {
    const response = await doFetch(target.url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      headers: {
        'content-type': 'application/json; charset=utf-8',
        [IDEMPOTENCY_HEADER]: batchKey(claimed.deliveryId, claimed.seq + 1),
        [SIGNATURE_HEADER]: signatureHeader(target.secret, clock.now(), claimed.body),
        'loyalty-delivery': claimed.deliveryId,
        'loyalty-batch': `${claimed.seq + 1}/${claimed.batches}`,
      },
      body: claimed.body,
    });
    // The answer's body is not read: only its status counts.
    await response.body?.cancel().catch(() => undefined);
    if (response.status >= 200 && response.status < 300) return null;
    return `the messaging tool answered ${response.status}`;
  } catch (error) {
    const e = error as Error;
    return e.name === 'TimeoutError'
      ? `no answer within ${options.timeoutMs ?? 10_000} ms`
      : `could not reach the messaging tool: ${e.message}`;
  }
}

/** Sends every batch due now, one delivery at a time, batches in order. */
export async function deliverDue(db: Db, clock: Clock, options: DeliveryOptions = {}): Promise<DeliveryTick> {
  const tick: DeliveryTick = { sent: 0, failed: 0, gaveUp: 0 };
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const backoff = options.backoff ?? DEFAULT_DELIVERY_BACKOFF;
  for (;;) {
    const claimed = await claimDue(db, clock, options.leaseMs ?? 120_000);
    if (!claimed) return tick;
    const problem = await attempt(db, clock, claimed, options);
    if (problem === null) {
      await recordSent(db, claimed, clock);
      tick.sent += 1;
      continue;
    }
    tick.failed += 1;
    const attempts = claimed.attempts + 1;
    const retryAt =
      attempts >= maxAttempts ? null : clock.now() + backoffDelay(backoff, claimed.attempts, options.random);
    if (retryAt === null) tick.gaveUp += 1;
    await recordFailure(db, claimed, problem, retryAt, clock);
  }
}

export interface DeliveryWorkerOptions extends DeliveryOptions {
  /** How often to look for due batches (default 15 s). */
  everyMs?: number;
  timers?: Timers;
  onError?: (error: unknown) => void;
}

/** Polls for due batches until the returned function is called. */
export function startEngagementDeliveries(
  db: Db,
  clock: Clock,
  options: DeliveryWorkerOptions = {},
): () => void {
  const timers = options.timers ?? systemTimers;
  let handle: TimerHandle | null = null;
  let stopped = false;
  const arm = (): void => {
    if (!stopped) handle = timers.setTimeout(() => void run(), options.everyMs ?? 15_000);
  };
  const run = async (): Promise<void> => {
    handle = null;
    try {
      await deliverDue(db, clock, options);
    } catch (error) {
      options.onError?.(error);
    }
    arm();
  };
  arm();
  return () => {
    stopped = true;
    if (handle !== null) timers.clearTimeout(handle);
  };
}
