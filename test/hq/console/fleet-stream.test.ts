// The fleet's writes as a till connected to HQ's live stream lives them, over real HTTP on both
// databases: a cashier's PIN reset is announced as `changed: cashiers` (what makes the till's main process
// fetch the PIN hashes again), and revoking the till from the console ends its stream at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_API } from '../../../src-shared/console/api.js';
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '../../../src-shared/sync/protocol.js';
import { databases, type TestDatabase } from '../../support/databases.js';
import { apiHarness, STORE_ID, type Harness } from '../api/harness.js';
import { signedIn } from './session.js';

/** A till reading /v1/stream: everything it has read so far, and when the stream ended. */
async function openStream(url: string, token: string) {
  const abort = new AbortController();
  const response = await fetch(`${url}/v1/stream`, {
    headers: { authorization: `Bearer ${token}`, [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) },
    signal: abort.signal,
  });
  let text = '';
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  const settle = (): void => {
    for (const w of waiters.filter((x) => x.pattern.test(text))) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  };
  const ended = (async () => {
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        text += value;
        settle();
      }
    } catch {
      // aborted by the test
    }
  })();
  return {
    response,
    ended,
    /** Resolves once the stream has carried text matching `pattern`. */
    saw: (pattern: RegExp) =>
      new Promise<void>((resolve) => {
        waiters.push({ pattern, resolve });
        settle();
      }),
    close: () => abort.abort(),
  };
}

describe.each(databases)('a till on the live stream, worked from the console, on %s', (_name, open) => {
  let t: TestDatabase;
  let h: Harness;
  let url: string;

  beforeAll(async () => {
    t = await open();
    h = await apiHarness(t.db, { stream: { coalesceMs: 20 } });
    url = await h.app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await h?.close();
    await t?.close();
  });

  it('hears of a PIN reset as changed cashiers, and its stream ends when it is revoked', async () => {
    const manager = await signedIn(h.app, h.db, h.clock, 'store-manager', [STORE_ID]);
    const { terminalId, token } = await h.enroll('Streaming till');
    const cashier = await manager.ok(CONSOLE_API.addCashier, {
      params: { storeId: STORE_ID },
      body: { name: 'Niamh Walsh', role: 'cashier', pin: '5829' },
    });

    const stream = await openStream(url, token);
    expect(stream.response.status).toBe(200);
    await stream.saw(/"type":"RESYNC"/);
    await manager.ok(CONSOLE_API.resetCashierPin, {
      params: { storeId: STORE_ID, cashierId: cashier.id },
      body: {},
    });
    await stream.saw(/"type":"changed","collections":\[[^\]]*"cashiers"/);

    await manager.ok(CONSOLE_API.revokeTerminal, { params: { storeId: STORE_ID, terminalId }, body: {} });
    // The stream ends by itself (the test never aborts it), and the till cannot open another.
    await stream.ended;
    const again = await fetch(`${url}/v1/stream`, {
      headers: { authorization: `Bearer ${token}`, [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) },
    });
    expect(again.status).toBe(401);
  });
});
