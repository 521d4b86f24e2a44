// HQ's HTTP API under /v1 (docs/hq-api.md). buildServer assembles a Fastify instance over an open database
// (tests drive it with inject); startServer opens and migrates the database and listens (the CLI's `serve`).
// Every route sees the database through an availability tracker: a lost database is a 503 with
// Retry-After, logged when it goes and when it comes back; bad input is refused by the input guard.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { systemClock, type Clock } from '../../src-shared/kernel/clock.js';
import type { HqServerConfig } from '../config.js';
import {
  DatabaseAvailability,
  openPglite,
  openPostgres,
  trackAvailability,
  type AvailabilityChange,
  type Db,
  type PgliteDb,
} from '../db/database.js';
import { migrate } from '../db/migrate.js';
import { lockFolder, sharePglite } from '../db/pglite-share.js';
import type { NightlyReport } from '../jobs/nightly.js';
import { schedulePartitions } from '../jobs/partitions.js';
import { scheduleNightlyJobs } from '../jobs/schedule.js';
import { currentProgram } from '../store/programs.js';
import { memberScopeFilter } from '../store/scope.js';
import { adminRoutes } from './admin-routes.js';
import { consolePages } from './console/pages.js';
import { consoleRoutes } from './console/register.js';
import { protocolGate } from './auth.js';
import { createErrorHandler, HttpError, notFoundHandler, sendError, toHttpError } from './errors.js';
import { inputGuard } from './input-guard.js';
import { apiLogger, defaultLogger } from './logging.js';
import { rateLimits, type RateLimits } from './rate-limit.js';
import { StreamHub, type StreamOptions } from './stream.js';
import { scopeRoutes } from './scope-routes.js';
import { snapshotRoutes } from './snapshot-routes.js';
import { terminalRoutes } from './terminal-routes.js';

/** Request bodies above this are refused with 413 (a push of a few hundred events fits easily). */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

export interface ApiConfig {
  /** Largest request body in bytes (default 1 MiB). */
  bodyLimit?: number;
  /** Trust X-Forwarded-* from a proxy in front: true for any, or its addresses (default false). */
  trustProxy?: boolean | string;
  /** The version reported by /v1/health (default: package.json's). */
  version?: string;
  stream?: StreamOptions;
  /** Sign-in and enrollment attempts allowed per window (DEFAULT_RATE_LIMITS; tests use less). */
  rateLimits?: Partial<RateLimits>;
}

export interface BuildServerOptions {
  db: Db;
  clock?: Clock;
  /** A pino logger (HQ adds its serializers and redaction); false or omitted: no logging. */
  logger?: Logger | false;
  config?: ApiConfig;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The live stream's hub (its client count, for tests and operations). */
    streamHub: StreamHub;
    /** Whether the database answered last, and the last outage (for /v1/health). */
    databaseAvailability: DatabaseAvailability;
    /** Every route registered, as `GET /v1/health` pairs (for operations and the fuzz test). */
    hqRoutes: readonly HqRoute[];
  }
}

export interface HqRoute {
  method: string;
  url: string;
}

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../package.json'), 'utf8')) as {
      version?: unknown;
    };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

export function buildServer(options: BuildServerOptions): FastifyInstance {
  const clock = options.clock ?? systemClock;
  const config = options.config ?? {};
  const app = Fastify({
    ...(options.logger ? { loggerInstance: apiLogger(options.logger) } : { logger: false }),
    bodyLimit: config.bodyLimit ?? DEFAULT_BODY_LIMIT,
    trustProxy: config.trustProxy ?? false,
    genReqId: () => randomUUID(),
    return503OnClosing: true,
    // A URL the router cannot decode gets HQ's error body, like every other refusal.
    frameworkErrors: (error, _request, reply) => {
      sendError(reply, toHttpError(error) ?? new HttpError(400, 'bad-request', 'The URL cannot be routed.'));
    },
  }) as unknown as FastifyInstance;

  const routes: HqRoute[] = [];
  app.decorate('hqRoutes', routes);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url });
  });

  const availability = new DatabaseAvailability(
    () => clock.now(),
    (change) => logAvailability(app, change),
  );
  app.decorate('databaseAvailability', availability);
  const db = trackAvailability(options.db, availability);

  // JSON is the only body HQ reads: anything else is 415.
  app.removeContentTypeParser(['text/plain']);

  const hub = new StreamHub(db, app.log, config.stream);
  app.decorate('streamHub', hub);
  app.decorateRequest('terminal', null);

  // Before any route is declared: the limits attach to their routes as they are.
  app.addHook('onRoute', rateLimits(app, clock, config.rateLimits));

  // The guard first: the gates after it read headers, and may query with them.
  inputGuard(app);
  app.addHook('onRequest', protocolGate);
  app.setErrorHandler(createErrorHandler({ onDatabaseUnavailable: (error) => availability.failed(error) }));
  app.setNotFoundHandler(notFoundHandler);

  terminalRoutes(app, { db, clock, hub, version: config.version ?? packageVersion() });
  snapshotRoutes(app, {
    db,
    // A new till starts with its store's scope (within the activity window); the pull follows from there.
    scopeFor: (terminal) => memberScopeFilter(db, terminal.storeId, 'bootstrap', clock),
  });
  scopeRoutes(app, { db, clock });
  adminRoutes(app, { db, clock, hub });
  consoleRoutes(app, { db, clock, hub });
  consolePages(app);

  // Open streams would keep the server from closing: end them first, then stop listening.
  app.addHook('preClose', (done) => {
    hub.endAll();
    done();
  });
  app.addHook('onClose', async () => hub.stop());
  return app;
}

/** One line when the database goes, one when it is back: not one per failed request. */
function logAvailability(app: FastifyInstance, change: AvailabilityChange): void {
  if (!change.reachable) {
    app.log.error(
      { err: change.error, reason: change.error.reason },
      'database unavailable: answering 503 with Retry-After until it is back',
    );
  } else {
    const { from, to, reason } = change.outage;
    app.log.warn(
      { from, to, reason, outageMs: Date.parse(to) - Date.parse(from) },
      'database available again',
    );
  }
}

/** The jobs HQ runs beside its API: the nightly jobs, the scheduled publications, the webhook deliveries. */
export interface ServerJobs {
  /** The nightly jobs' local time, HH:MM. */
  at: string;
  /** Their time zone (default: the current program's, or UTC before there is one). */
  timeZone?: string;
  onRun?: (report: NightlyReport) => void;
  onError?: (error: unknown) => void;
}

export interface StartedServer {
  /** Where HQ listens, e.g. http://127.0.0.1:8787. */
  url: string;
  db: Db;
  app: FastifyInstance;
  /** When and in which zone the nightly jobs run; null when this process runs no jobs. */
  jobs: { at: string; timeZone: string } | null;
  /** Stops listening, ends the streams, closes the database. */
  close(): Promise<void>;
}

/**
 * Opens the database (DATABASE_URL or the PGlite folder), migrates it, and listens on HQ_HOST:HQ_PORT. On
 * PGlite it holds the folder (hq.pid) and shares its database with the admin CLI (db/pglite-share.ts) until
 * it closes.
 */
export async function startServer(
  config: HqServerConfig,
  options: { clock?: Clock; logger?: Logger | false; api?: ApiConfig; jobs?: ServerJobs | false } = {},
): Promise<StartedServer> {
  const logger = options.logger === undefined ? defaultLogger() : options.logger;
  // Undone in reverse order, whether HQ stops or fails to start.
  const undo: (() => Promise<void> | void)[] = [];
  const unwind = async (): Promise<void> => {
    for (const step of undo.splice(0).reverse()) await Promise.resolve(step()).catch(() => undefined);
  };
  try {
    let db: Db;
    let pglite: PgliteDb | null = null;
    if (config.DATABASE_URL) {
      db = openPostgres(config.DATABASE_URL);
    } else {
      undo.push(lockFolder(config.HQ_DATA_DIR));
      db = pglite = await openPglite(config.HQ_DATA_DIR);
    }
    const opened = db;
    undo.push(() => opened.close());
    const applied = await migrate(db);
    if (applied.length > 0 && logger) logger.info({ migrations: applied }, 'database migrated');
    if (pglite) {
      const shared = await sharePglite(pglite, config.HQ_DATA_DIR);
      undo.push(() => shared.close());
      if (logger)
        logger.info({ endpoint: shared.endpoint }, 'sharing the PGlite database with the admin CLI');
    }
    const api: ApiConfig = { trustProxy: config.HQ_TRUST_PROXY ?? false, ...options.api };
    const app = buildServer({ db, clock: options.clock ?? systemClock, logger, config: api });
    undo.push(() => app.close());
    const url = await app.listen({ host: config.HQ_HOST, port: config.HQ_PORT });
    // The jobs are composed here, once, for `serve` and `./loyalty start` alike.
    let jobs: StartedServer['jobs'] = null;
    if (options.jobs) {
      const { at, onRun, onError } = options.jobs;
      const timeZone = options.jobs.timeZone ?? (await currentProgram(db))?.timeZone ?? 'UTC';
      const clock = options.clock ?? systemClock;
      undo.push(
        scheduleNightlyJobs(db, clock, {
          at,
          timeZone,
          ...(onRun ? { onRun } : {}),
          ...(onError ? { onError } : {}),
        }),
      );
      undo.push(schedulePartitions(db, clock, onError ? { onError } : {}));
      jobs = { at, timeZone };
    }
    let closing: Promise<void> | undefined;
    return {
      url,
      db,
      app,
      jobs,
      close() {
        closing ??= unwind();
        return closing;
      },
    };
  } catch (error) {
    await unwind();
    throw error;
  }
}
