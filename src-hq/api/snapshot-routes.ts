// GET /v1/snapshot/members: the calling terminal's members as a streamed, checksummed snapshot at a
// checkpoint (src-hq/store/snapshot.ts; format: src-shared/sync/snapshot.ts), gzip-compressed when the
// terminal accepts it. Terminal-authenticated like the pull routes. The checkpoint is resolved before the
// first byte, so a refusal (a checkpoint ahead of HQ, the database down) is an ordinary HTTP error; a
// failure later can only cut the body, which the terminal sees as incomplete and resumes.
import { pipeline, Readable } from 'node:stream';
import { createGzip, constants as zlib } from 'node:zlib';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SNAPSHOT_CONTENT_TYPE, snapshotQuerySchema } from '../../src-shared/sync/snapshot.js';
import type { Db } from '../db/database.js';
import {
  resolveSnapshotCheckpoint,
  snapshotBody,
  SnapshotCheckpointError,
  type MemberScopeFilter,
} from '../store/snapshot.js';
import type { AuthenticatedTerminal } from '../store/terminals.js';
import { callingTerminal, terminalGate } from './auth.js';
import { HttpError, parseInput } from './errors.js';

export interface SnapshotRouteContext {
  db: Db;
  /** The members a terminal's replica holds (the store's scope); absent or null: every member. */
  scopeFor?: (terminal: AuthenticatedTerminal) => Promise<MemberScopeFilter | null>;
}

const acceptsGzip = (request: FastifyRequest): boolean =>
  /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));

export function snapshotRoutes(app: FastifyInstance, { db, scopeFor }: SnapshotRouteContext): void {
  const gate = terminalGate(db);
  app.get(
    '/v1/snapshot/members',
    { config: { terminalProtocol: true }, onRequest: gate, exposeHeadRoute: false },
    async (request, reply) => {
      const query = parseInput(snapshotQuerySchema, request.query, 'query');
      const terminal = callingTerminal(request);
      const scope = scopeFor ? await scopeFor(terminal) : null;
      let checkpoint: number;
      try {
        checkpoint = await resolveSnapshotCheckpoint(db, query.checkpoint);
      } catch (error) {
        if (error instanceof SnapshotCheckpointError)
          throw new HttpError(409, 'snapshot-checkpoint-ahead', error.message);
        throw error;
      }
      const body = Readable.from(
        snapshotBody(db, checkpoint, {
          block: query.block,
          scope,
          ...(query.after === undefined ? {} : { after: query.after }),
          ...(query.checkpoint === undefined ? {} : { checkpoint: query.checkpoint }),
        }),
        { objectMode: false },
      );
      request.log.info({ checkpoint, after: query.after ?? null }, 'snapshot served');
      // Member documents carry personal data: no cache may keep them.
      reply.header('content-type', SNAPSHOT_CONTENT_TYPE).header('cache-control', 'no-store');
      if (!acceptsGzip(request)) return reply.send(body);
      // Level 1: the body is repetitive JSON, and the till's CPU, not the network, is what to spare.
      const gzip = createGzip({ level: zlib.Z_BEST_SPEED });
      pipeline(body, gzip, (error) => {
        if (error && error.code !== 'ERR_STREAM_PREMATURE_CLOSE')
          request.log.warn({ err: error }, 'snapshot cut');
      });
      return reply.header('content-encoding', 'gzip').send(gzip);
    },
  );
}
