// A real HQ for terminal-side tests: HQ's HTTP API (src-hq) on 127.0.0.1, over PGlite in memory, with a store,
// a published example program and optionally cashiers. Terminals talk to it over real HTTP, like production.
//
//   const hq = await startTestHq();                 // grocery-chain program, store 's-1'
//   const link = new TerminalLink({ hqUrl: hq.url, credentials: fileCredentialStore(path) });
//   await link.enroll({ code: await hq.enrollmentCode(), name: 'Till 1' });
//   await hq.stop();  …  await hq.start();          // HQ down and back, same port and data
//   await hq.close();
//
// Tests may import src-hq; src-main and src-renderer never do.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src-hq/api/server.js';
import type { Db } from '../../src-hq/db/database.js';
import { addCashier } from '../../src-hq/store/catalog.js';
import { publishProgram } from '../../src-hq/store/programs.js';
import { createStore } from '../../src-hq/store/stores.js';
import { createEnrollmentCode, revokeTerminal } from '../../src-hq/store/terminals.js';
import type { HqApi, HqStreamMessage } from '../../src-shared/ipc/hq-api.js';
import { systemClock, type Clock } from '../../src-shared/kernel/clock.js';
import { programSchema, type Program } from '../../src-shared/program/schema.js';
import { pgliteDatabase } from './databases.js';

export const TEST_HQ_STORE_ID = 's-1';

export type ExampleProgram = 'grocery-chain' | 'coffee-shop' | 'fashion-chain' | 'paid-membership';

/** An example program from examples/programs, validated. */
export function exampleProgram(name: ExampleProgram): Program {
  const path = resolve(import.meta.dirname, '../../examples/programs', `${name}.json`);
  return programSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
}

/** A paid plan for the coffee shop: a year, 15.00 EUR, double points and a join bonus. */
export const COFFEE_CLUB_PLAN = {
  id: 'coffee-club',
  label: 'Coffee Club',
  fee: 1500,
  durationDays: 365,
  multiplier: 2,
  joinBonus: 200,
  perks: ['Double points on every purchase', 'A free refill a day'],
};

/** The coffee-shop example (its actions: a survey a month, the app once in a lifetime) with that paid plan. */
export function coffeeClubProgram(): Program {
  return programSchema.parse({ ...exampleProgram('coffee-shop'), plans: [COFFEE_CLUB_PLAN] });
}

export interface TestCashier {
  id: string;
  name: string;
  role: 'cashier' | 'manager';
  pin: string;
}

export interface TestHqOptions {
  /** HQ's clock (enrollment code expiry, recordedAt): default the system clock. */
  clock?: Clock;
  /** The published program (default grocery-chain). */
  program?: ExampleProgram | Program;
  /** Cashiers of the store (PINs hashed with a cheap scrypt cost). */
  cashiers?: readonly TestCashier[];
  /** Port to listen on (default: a free one, kept across stop/start). */
  port?: number;
  /** `retry:` HQ suggests to stream clients (default 50 ms, so reconnection tests run fast). */
  streamRetryMs?: number;
}

export interface TestHq {
  /** http://127.0.0.1:<port>, the same across stop() and start(). */
  url: string;
  port: number;
  db: Db;
  storeId: string;
  program: Program;
  /** The running Fastify instance (null while stopped): `app.streamHub` counts stream clients. */
  readonly app: FastifyInstance | null;
  /** A fresh one-time enrollment code for the store. */
  enrollmentCode(): Promise<string>;
  /** Revokes a terminal: its token stops working and its streams end. */
  revoke(terminalId: string): Promise<void>;
  /** Stops listening (open streams end, new connections are refused); the data stays. */
  stop(): Promise<void>;
  /** Listens again on the same port, over the same data. */
  start(): Promise<void>;
  /** Stops and drops the database. */
  close(): Promise<void>;
}

/** A TCP port free right now on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

export async function startTestHq(options: TestHqOptions = {}): Promise<TestHq> {
  const clock = options.clock ?? systemClock;
  const database = await pgliteDatabase();
  const { db } = database;
  const program =
    typeof options.program === 'object'
      ? options.program
      : exampleProgram(options.program ?? 'grocery-chain');
  await createStore(db, { id: TEST_HQ_STORE_ID, name: 'Test store', timeZone: program.timeZone });
  await publishProgram(db, program);
  for (const cashier of options.cashiers ?? []) {
    await addCashier(db, { ...cashier, storeId: TEST_HQ_STORE_ID }, { pinCost: 16 });
  }
  const port = options.port ?? (await freePort());
  let app: FastifyInstance | null = null;

  const start = async (): Promise<void> => {
    if (app) return;
    const server = buildServer({
      db,
      clock,
      logger: false,
      config: { stream: { retryMs: options.streamRetryMs ?? 50 } },
    });
    await server.listen({ host: '127.0.0.1', port });
    app = server;
  };
  const stop = async (): Promise<void> => {
    const server = app;
    app = null;
    await server?.close();
  };
  await start();

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    db,
    storeId: TEST_HQ_STORE_ID,
    program,
    get app() {
      return app;
    },
    async enrollmentCode() {
      return (await createEnrollmentCode(db, TEST_HQ_STORE_ID, clock)).code;
    },
    async revoke(terminalId) {
      await revokeTerminal(db, terminalId, clock);
      app?.streamHub.disconnectTerminal(terminalId);
    },
    stop,
    start,
    async close() {
      await stop();
      await database.close();
    },
  };
}

/** What a stream listener heard, with a way to wait for the next message of a type. */
export interface StreamRecorder {
  readonly messages: readonly HqStreamMessage[];
  /**
   * Resolves with the next message of `type` after the one the previous next() returned (messages heard
   * meanwhile count: nothing is missed between two calls).
   */
  next(type: HqStreamMessage['type']): Promise<HqStreamMessage>;
  /** Unsubscribes. */
  stop(): void;
}

/** Subscribes to an HqApi's stream (a TerminalLink, a host API) and records every message. */
export function recordStream(api: Pick<HqApi, 'onHqStream'>): StreamRecorder {
  const messages: HqStreamMessage[] = [];
  let cursor = 0;
  let waiter: { type: HqStreamMessage['type']; resolve: (m: HqStreamMessage) => void } | null = null;
  const take = (type: HqStreamMessage['type']): HqStreamMessage | null => {
    while (cursor < messages.length) {
      const message = messages[cursor++] as HqStreamMessage;
      if (message.type === type) return message;
    }
    return null;
  };
  const off = api.onHqStream((message) => {
    messages.push(message);
    if (!waiter) return;
    const found = take(waiter.type);
    if (found) {
      const { resolve: done } = waiter;
      waiter = null;
      done(found);
    }
  });
  return {
    messages,
    next(type) {
      if (waiter) return Promise.reject(new Error('one next() at a time'));
      const found = take(type);
      if (found) return Promise.resolve(found);
      return new Promise((done) => {
        waiter = { type, resolve: done };
      });
    },
    stop: off,
  };
}
