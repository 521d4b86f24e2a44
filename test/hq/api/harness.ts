// A running HQ API for tests: buildServer over a test database with a manual clock, a store, an admin token,
// and helpers that enroll terminals and send requests with fastify.inject the way a terminal would.
import { Writable } from 'node:stream';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import pino from 'pino';
import { buildServer, type ApiConfig } from '../../../src-hq/api/server.js';
import type { Db } from '../../../src-hq/db/database.js';
import { createStore } from '../../../src-hq/store/stores.js';
import { createAdminToken } from '../../../src-hq/store/terminals.js';
import { ManualClock } from '../../../src-shared/kernel/clock.js';
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '../../../src-shared/sync/protocol.js';
import { enrollResponseSchema, type EnrollResponse } from '../../../src-shared/sync/wire.js';

export const STORE_ID = 's-1';
export const START = '2025-03-03T12:00:00.000Z';

/** Everything written to a logger, as text. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.lines.push(chunk.toString('utf8'));
    done();
  }
  get text(): string {
    return this.lines.join('');
  }
}

export interface Harness {
  app: FastifyInstance;
  db: Db;
  clock: ManualClock;
  adminToken: string;
  logs: LogCapture;
  /** inject with the protocol header set (unless `headers` overrides it). */
  request(options: InjectOptions & { token?: string | null }): Promise<LightMyRequestResponse>;
  /** Makes an enrollment code as admin and enrolls a terminal with it. */
  enroll(name?: string, storeId?: string): Promise<EnrollResponse>;
  close(): Promise<void>;
}

export async function apiHarness(db: Db, config: ApiConfig = {}): Promise<Harness> {
  const clock = new ManualClock(Date.parse(START));
  const logs = new LogCapture();
  const app = buildServer({ db, clock, logger: pino({ level: 'debug' }, logs), config });
  await app.ready();
  const existing = await db.query('SELECT 1 FROM stores WHERE id = $1', [STORE_ID]);
  if (existing.rowCount === 0)
    await createStore(db, { id: STORE_ID, name: 'Store one', timeZone: 'Europe/Paris' });
  const adminToken = await createAdminToken(db, 'tests');

  const request: Harness['request'] = ({ token, headers, ...options }) =>
    app.inject({
      ...options,
      headers: {
        [PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
    });

  const enroll: Harness['enroll'] = async (name = 'Till 1', storeId = STORE_ID) => {
    const made = await request({
      method: 'POST',
      url: '/v1/admin/enrollment-codes',
      token: adminToken,
      payload: { storeId },
    });
    if (made.statusCode !== 201) throw new Error(`enrollment code: ${made.statusCode} ${made.body}`);
    const { code } = made.json<{ code: string }>();
    const enrolled = await request({ method: 'POST', url: '/v1/terminals/enroll', payload: { code, name } });
    if (enrolled.statusCode !== 201) throw new Error(`enroll: ${enrolled.statusCode} ${enrolled.body}`);
    return enrollResponseSchema.parse(enrolled.json());
  };

  return { app, db, clock, adminToken, logs, request, enroll, close: () => app.close() };
}
