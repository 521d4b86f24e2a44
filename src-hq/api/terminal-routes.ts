// The routes terminals call: health, enrollment, pull, push, the live stream, the day close, the online
// member lookup, the store's staff PIN hashes (for the terminal's main process), and the store LAN's peer
// list, address reports and relay of another till's signed events (issue 16). Input is validated
// with the shared wire schemas (400 listing every problem); the store
// functions do the work, each write in one transaction.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Clock } from '../../src-shared/kernel/clock.js';
import { describePaymentCard, paymentCardIn } from '../../src-shared/scan/payment-guard.js';
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '../../src-shared/sync/protocol.js';
import {
  closeFiguresSchema,
  collectionNames,
  collectionSchema,
  enrollRequestSchema,
  lanReportSchema,
  lookupQuerySchema,
  pullQuerySchema,
  pushRequestSchema,
  relayRequestSchema,
  type CloseResponse,
  type EnrollResponse,
  type LanReportResponse,
  type StorePeersResponse,
  type PullResponse,
  type PushResponse,
  type PhoneKeyResponse,
  type StaffPinsResponse,
  type StoreSettingsResponse,
} from '../../src-shared/sync/wire.js';
import type { Db } from '../db/database.js';
import { listStaffPins } from '../store/catalog.js';
import { recordClose } from '../store/closes.js';
import { pushEvents } from '../store/ingest.js';
import { LAST_SEEN_EVERY_MS, lastSeenRecorder } from '../store/fleet-last-seen.js';
import { findMembers } from '../store/members.js';
import { pull } from '../store/pull.js';
import { getStore, getStoreSettings } from '../store/stores.js';
import { getPhoneKey } from '../store/phone-key.js';
import { ensureSigningKey } from '../store/signing-key.js';
import { enrollTerminal, reportLanAddresses, storePeers } from '../store/terminals.js';
import type { KeyPair } from '../../src-shared/lan/keys.js';
import { callingTerminal, terminalGate } from './auth.js';
import { checkRelay } from './relay.js';
import { DATABASE_RETRY_AFTER_SECONDS, HttpError, parseInput, sendError } from './errors.js';
import type { StreamHub } from './stream.js';

export interface TerminalRouteContext {
  db: Db;
  clock: Clock;
  hub: StreamHub;
  version: string;
}

const terminalRoute = { config: { terminalProtocol: true } } as const;

/** A health probe slower than this counts as unreachable (a hung connection must not hang the check). */
const HEALTH_PROBE_TIMEOUT_MS = 2_000;

export function terminalRoutes(
  app: FastifyInstance,
  { db, clock, hub, version }: TerminalRouteContext,
): void {
  const gate = terminalGate(db);
  // HQ notes when it last heard from each terminal (the console's fleet view), at most once a minute; a
  // failure to note it never fails the terminal's request.
  const seen = lastSeenRecorder(db, clock);
  const noteSeen = (request: FastifyRequest, terminalId: string): Promise<void> =>
    seen(terminalId).catch((error: unknown) => request.log.warn({ err: error }, 'last seen not recorded'));
  const requireTerminal = async (request: FastifyRequest): Promise<void> => {
    await gate(request);
    await noteSeen(request, callingTerminal(request).id);
  };
  // HQ's credential signing key, read once (it never changes once made); a failed read is retried.
  let signingKey: Promise<KeyPair> | null = null;
  const hqSigningKey = (): Promise<KeyPair> => {
    signingKey ??= ensureSigningKey(db).catch((error: unknown) => {
      signingKey = null;
      throw error;
    });
    return signingKey;
  };

  // The database's state as seen now (a probe, bounded in time) and since the process started (the
  // current or last outage). 503 while unreachable, so a load balancer takes this instance out.
  app.get('/v1/health', async (request, reply) => {
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const reachable = await Promise.race([
      db.query('SELECT 1').then(
        () => true,
        () => false,
      ),
      new Promise<false>((done) => {
        timer = setTimeout(() => done(false), HEALTH_PROBE_TIMEOUT_MS);
      }),
    ]);
    clearTimeout(timer);
    const state = request.server.databaseAvailability.state();
    const body = {
      status: reachable ? 'ok' : 'degraded',
      version,
      protocol: PROTOCOL_VERSION,
      database: db.kind,
      databaseState: {
        reachable,
        ...(reachable ? { latencyMs: Math.round(performance.now() - started) } : {}),
        ...(state.unavailableSince ? { unavailableSince: state.unavailableSince } : {}),
        ...(state.lastOutage ? { lastOutage: state.lastOutage } : {}),
      },
    };
    reply.header('cache-control', 'no-store');
    if (!reachable) reply.code(503).header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
    return reply.send(body);
  });

  app.post('/v1/terminals/enroll', terminalRoute, async (request, reply) => {
    const { code, name, publicKey } = parseInput(enrollRequestSchema, request.body, 'body');
    const key = publicKey === undefined ? null : await hqSigningKey();
    const enrollment = await enrollTerminal(
      db,
      code,
      name,
      clock,
      key === null || publicKey === undefined ? undefined : { publicKey, signingKey: key },
    );
    request.log.info(
      { terminalId: enrollment.terminalId, storeId: enrollment.storeId, lanKey: key !== null },
      'terminal enrolled',
    );
    // The store's country goes with the credential: the till reads typed phone numbers in it.
    const store = await getStore(db, enrollment.storeId);
    const body: EnrollResponse = {
      ...enrollment,
      ...(store ? { country: store.country } : {}),
      // The chain's phone key goes with the credential too: main turns typed numbers into lookup keys.
      phoneKey: await getPhoneKey(db),
      hqProtocol: PROTOCOL_VERSION,
      // Only HQ's public key ever leaves HQ; the till checks its peers' credentials with it.
      ...(enrollment.credential && key ? { hqPublicKey: key.publicKey } : {}),
    };
    return reply.code(201).header('cache-control', 'no-store').send(body);
  });

  app.get(
    '/v1/pull/:collection',
    { ...terminalRoute, onRequest: requireTerminal },
    async (request): Promise<PullResponse<unknown>> => {
      const { collection: name } = request.params as { collection: string };
      const collection = collectionSchema.safeParse(name);
      if (!collection.success) {
        throw new HttpError(
          404,
          'unknown-collection',
          `There is no collection ${JSON.stringify(name)}; pull one of ${collectionNames.join(', ')}.`,
        );
      }
      const query = parseInput(pullQuerySchema, request.query, 'query');
      return pull(db, collection.data, query, callingTerminal(request));
    },
  );

  app.post(
    '/v1/events',
    { ...terminalRoute, onRequest: requireTerminal },
    async (request): Promise<PushResponse> => {
      const { events } = parseInput(pushRequestSchema, request.body, 'body');
      const results = await pushEvents(db, callingTerminal(request), events, clock);
      return { results };
    },
  );

  // Another till's events, in their origin's signed envelopes (issue 16; relay.ts checks them), ingested as
  // the origin's own push. Own pushes carry no signature: the token already proves the caller is the origin.
  app.post(
    '/v1/events/relay',
    { ...terminalRoute, onRequest: requireTerminal },
    async (request): Promise<PushResponse> => {
      const { events: envelopes } = parseInput(relayRequestSchema, request.body, 'body');
      const caller = callingTerminal(request);
      let relay;
      try {
        relay = await checkRelay(db, caller, envelopes);
      } catch (error) {
        if (error instanceof HttpError)
          request.log.warn({ events: envelopes.length, refusal: error.code }, 'relay refused');
        throw error;
      }
      const results = await pushEvents(db, relay.origin, relay.events, clock);
      const count = (outcome: string) => results.filter((r) => r.outcome === outcome).length;
      // Counts and ids only: an event's body (member, amounts) is never logged.
      request.log.info(
        {
          origin: relay.origin.id,
          events: results.length,
          stored: count('stored'),
          duplicate: count('duplicate'),
          conflict: count('conflict'),
        },
        'events relayed',
      );
      return { results };
    },
  );

  // No HEAD twin: a HEAD would hold a stream open with nothing to read.
  const streamRoute = { ...terminalRoute, exposeHeadRoute: false, onRequest: requireTerminal };
  app.get('/v1/stream', streamRoute, async (request, reply) => {
    const terminal = callingTerminal(request);
    try {
      await hub.listen();
    } catch (error) {
      request.log.error({ err: error }, 'cannot listen for change notifications');
      return sendError(
        reply,
        new HttpError(503, 'stream-unavailable', 'HQ cannot follow changes right now; retry shortly.'),
      );
    }
    // From here the response is ours, not Fastify's: an error can only end the connection.
    reply.hijack();
    request.log.info('stream opened');
    reply.raw.on('close', () => request.log.info('stream closed'));
    // A terminal with its stream open is one HQ hears from, even when nothing changes for hours.
    const keepSeen = setInterval(() => void noteSeen(request, terminal.id), LAST_SEEN_EVERY_MS);
    keepSeen.unref();
    reply.raw.on('close', () => clearInterval(keepSeen));
    try {
      await hub.open(terminal.id, reply.raw, {
        [PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
        'request-id': String(request.id),
      });
    } catch (error) {
      request.log.error({ err: error }, 'stream failed');
      reply.raw.destroy();
    }
    return reply;
  });

  app.post(
    '/v1/close',
    { ...terminalRoute, onRequest: requireTerminal },
    async (request): Promise<CloseResponse> => {
      const figures = parseInput(closeFiguresSchema, request.body, 'body');
      const terminal = callingTerminal(request);
      const result = await recordClose(db, terminal.id, figures, clock);
      if (result.status === 'mismatch') {
        request.log.warn(
          {
            businessDay: figures.businessDay,
            fields: result.differences.map((d) => d.field),
            missing: result.missing,
          },
          'day close mismatch',
        );
      }
      return result;
    },
  );

  // The PIN hashes of the terminal's store's staff. The terminal's main process checks PINs with them and
  // keeps them from the renderer; the whole list each time (a store has a few dozen people at most), so a
  // removed cashier's PIN is forgotten at the next refresh.
  app.get('/v1/staff-pins', { ...terminalRoute, onRequest: requireTerminal }, async (request, reply) => {
    const body: StaffPinsResponse = { staff: await listStaffPins(db, callingTerminal(request).storeId) };
    return reply.header('cache-control', 'no-store').send(body);
  });

  // The chain's phone key, for terminals enrolled before HQ handed it out with the credential. Main keeps
  // it beside the credential; the renderer never sees it (docs/architecture.md, phone lookup key).
  app.get('/v1/phone-key', { ...terminalRoute, onRequest: requireTerminal }, async (_request, reply) => {
    const body: PhoneKeyResponse = { phoneKey: await getPhoneKey(db) };
    return reply.header('cache-control', 'no-store').send(body);
  });

  // The calling terminal's store's counter settings (idle timeouts, close time); main fetches them on start
  // and on every stream RESYNC and hands them to the renderer with hqStatus.
  app.get('/v1/store-settings', { ...terminalRoute, onRequest: requireTerminal }, async (request, reply) => {
    const body: StoreSettingsResponse = {
      settings: await getStoreSettings(db, callingTerminal(request).storeId),
    };
    return reply.header('cache-control', 'no-store').send(body);
  });

  // The store LAN's peer list (issue 16): HQ's public key, the other live tills' credentials and
  // reported addresses, and the store's revoked keys. Main caches it for outages.
  app.get('/v1/store/peers', { ...terminalRoute, onRequest: requireTerminal }, async (request, reply) => {
    const terminal = callingTerminal(request);
    const [key, found] = await Promise.all([hqSigningKey(), storePeers(db, terminal.storeId, terminal.id)]);
    const body: StorePeersResponse = { hqPublicKey: key.publicKey, storeId: terminal.storeId, ...found };
    return reply.header('cache-control', 'no-store').send(body);
  });

  // The calling till's LAN addresses, replacing its last report; validated whole before anything is written.
  app.put(
    '/v1/terminals/me/lan',
    { ...terminalRoute, onRequest: requireTerminal },
    async (request, reply) => {
      const { addresses } = parseInput(lanReportSchema, request.body, 'body');
      const reportedAt = await reportLanAddresses(db, callingTerminal(request).id, addresses, clock);
      const body: LanReportResponse = { addresses, reportedAt };
      return reply.header('cache-control', 'no-store').send(body);
    },
  );

  app.get('/v1/members/lookup', { ...terminalRoute, onRequest: requireTerminal }, async (request, reply) => {
    const query = parseInput(lookupQuerySchema, request.query, 'query');
    // A payment card is never looked up: it would reach SQL and the slow-query log. The answer names the
    // brand and last four only, as the terminal's own refusal does.
    const payment = query.card !== undefined ? paymentCardIn(query.card) : undefined;
    if (payment !== undefined)
      throw new HttpError(400, 'invalid-request', 'Payment cards cannot be loyalty cards.', [
        { path: 'card', message: `${describePaymentCard(payment)}: payment cards cannot be loyalty cards` },
      ]);
    const members = await findMembers(
      db,
      query.card ? { card: query.card } : { phoneHash: query.phoneHash ?? '' },
    );
    // Member documents carry personal data: no cache may keep them.
    return reply.header('cache-control', 'no-store').send({ members });
  });
}
