// HQ's HTTP API under /v1 (docs/hq-api.md). buildServer assembles a Fastify instance over an open database
// (tests drive it with inject); startServer opens and migrates the database and listens (the CLI's `serve`).
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { systemClock, type Clock } from '../../src-shared/kernel/clock.js';
import type { HqConfig } from '../config.js';
import { openDatabase, type Db } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import { adminRoutes } from './admin-routes.js';
import { protocolGate } from './auth.js';
import { errorHandler, notFoundHandler } from './errors.js';
import { apiLogger, defaultLogger } from './logging.js';
import { StreamHub, type StreamOptions } from './stream.js';
import { terminalRoutes } from './terminal-routes.js';

/** Request bodies above this are refused with 413 (a push of a few hundred events fits easily). */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

export interface ApiConfig {
  /** Largest request body in bytes (default 1 MiB). */
  bodyLimit?: number;
  /** Trust X-Forwarded-* from a load balancer in front (default false). */
  trustProxy?: boolean;
  /** The version reported by /v1/health (default: package.json's). */
  version?: string;
  stream?: StreamOptions;
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
  }
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
  const { db } = options;
  const clock = options.clock ?? systemClock;
  const config = options.config ?? {};
  const app = Fastify({
    ...(options.logger ? { loggerInstance: apiLogger(options.logger) } : { logger: false }),
    bodyLimit: config.bodyLimit ?? DEFAULT_BODY_LIMIT,
    trustProxy: config.trustProxy ?? false,
    genReqId: () => randomUUID(),
    return503OnClosing: true,
  }) as unknown as FastifyInstance;

  // JSON is the only body HQ reads: anything else is 415.
  app.removeContentTypeParser(['text/plain']);

  const hub = new StreamHub(db, app.log, config.stream);
  app.decorate('streamHub', hub);
  app.decorateRequest('terminal', null);

  app.addHook('onRequest', protocolGate);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);

  terminalRoutes(app, { db, clock, hub, version: config.version ?? packageVersion() });
  adminRoutes(app, { db, clock, hub });

  // Open streams would keep the server from closing: end them first, then stop listening.
  app.addHook('preClose', async () => hub.endAll());
  app.addHook('onClose', async () => hub.stop());
  return app;
}

export interface StartedServer {
  /** Where HQ listens, e.g. http://127.0.0.1:8787. */
  url: string;
  db: Db;
  app: FastifyInstance;
  /** Stops listening, ends the streams, closes the database. */
  close(): Promise<void>;
}

/** Opens the database (DATABASE_URL or the PGlite folder), migrates it, and listens on HQ_HOST:HQ_PORT. */
export async function startServer(
  config: HqConfig,
  options: { clock?: Clock; logger?: Logger | false; api?: ApiConfig } = {},
): Promise<StartedServer> {
  const logger = options.logger === undefined ? defaultLogger() : options.logger;
  const db = await openDatabase(config);
  let app: FastifyInstance | undefined;
  try {
    const applied = await migrate(db);
    if (applied.length > 0 && logger) logger.info({ migrations: applied }, 'database migrated');
    app = buildServer({ db, clock: options.clock ?? systemClock, logger, config: options.api ?? {} });
    const url = await app.listen({ host: config.HQ_HOST, port: config.HQ_PORT });
    const started = app;
    let closing: Promise<void> | undefined;
    return {
      url,
      db,
      app: started,
      close() {
        closing ??= (async () => {
          await started.close();
          await db.close();
        })();
        return closing;
      },
    };
  } catch (error) {
    await app?.close().catch(() => undefined);
    await db.close().catch(() => undefined);
    throw error;
  }
}
