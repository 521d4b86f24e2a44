// TerminalLink.relay against a real HQ (src-hq on PGlite over HTTP, issue 16): till B hands HQ till A's
// events in A's signed envelopes; HQ stores each once, A's own later push is a duplicate, and a relay HQ
// refuses comes back as 'rejected' with HQ's words, nothing stored.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileCredentialStore } from '../../../src-main/hq/credential-store.js';
import { TerminalLink, type TerminalLanIdentity } from '../../../src-main/hq/terminal-link.js';
import type { HqResult } from '../../../src-shared/ipc/hq-api.js';
import { signEvent } from '../../../src-shared/lan/signature.js';
import { eventFactory } from '../../support/events.js';
import { startTestHq, type TestHq } from '../../support/hq.js';

const dir = mkdtempSync(join(tmpdir(), 'terminal-link-relay-'));
let hq: TestHq;
let files = 0;

beforeAll(async () => {
  hq = await startTestHq();
}, 60_000);
afterAll(async () => {
  await hq?.close();
  rmSync(dir, { recursive: true, force: true });
});

function expectOk<T>(result: HqResult<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.error)}`);
  return result.value;
}

async function enrolledTill(name: string) {
  files += 1;
  const link = new TerminalLink({
    hqUrl: hq.url,
    credentials: fileCredentialStore(join(dir, `credential-${files}.json`)),
  });
  const { terminalId, storeId } = expectOk(await link.enroll({ code: await hq.enrollmentCode(), name }));
  const identity = (await link.lanIdentity()) as TerminalLanIdentity;
  expect(identity).not.toBeNull();
  return { link, identity, events: eventFactory({ terminalId, storeId }) };
}

const storedCount = async (ids: readonly string[]): Promise<number> => {
  const { rows } = await hq.db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM events WHERE id = ANY($1::uuid[])',
    [ids],
  );
  return rows[0]?.n ?? -1;
};

describe('TerminalLink.relay with a real HQ', { timeout: 30_000 }, () => {
  it('relays a peer’s signed events once; the origin’s later push and a second relay are duplicates', async () => {
    const a = await enrolledTill('Till A');
    const b = await enrolledTill('Till B');
    const batch = [
      a.events.enrolled('m-relayed', { welcomeBonus: hq.program.bonuses.welcome }),
      a.events.earned('m-relayed', 7),
    ];
    const signed = batch.map((e) => signEvent(e, a.identity.secretKey));

    const relayed = expectOk(await b.link.relay(signed));
    expect(relayed.results.map((r) => [r.id, r.outcome])).toEqual(batch.map((e) => [e.id, 'stored']));
    expect(await storedCount(batch.map((e) => e.id))).toBe(2);

    const pushed = expectOk(await a.link.push(batch));
    expect(pushed.results.map((r) => r.outcome)).toEqual(['duplicate', 'duplicate']);
    expect(expectOk(await b.link.relay(signed)).results.map((r) => r.outcome)).toEqual([
      'duplicate',
      'duplicate',
    ]);
    expect(await storedCount(batch.map((e) => e.id))).toBe(2);
    expect((await b.link.hqStatus()).online).toBe(true);
  });

  it('gets HQ’s refusal of a forged envelope as rejected, and HQ stores nothing', async () => {
    const a = await enrolledTill('Till A2');
    const b = await enrolledTill('Till B2');
    const genuine = a.events.enrolled('m-forged-relay', { welcomeBonus: hq.program.bonuses.welcome });
    // Signed by B's key, presented as A's event.
    const forged = signEvent(genuine, b.identity.secretKey);
    const result = await b.link.relay([forged]);
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'rejected', problems: [{ path: 'events[0]', message: 'bad-signature' }] },
    });
    expect(await storedCount([genuine.id])).toBe(0);
    // B's own events are pushed, not relayed.
    const own = signEvent(
      b.events.enrolled('m-own-relay', { welcomeBonus: hq.program.bonuses.welcome }),
      b.identity.secretKey,
    );
    expect(await b.link.relay([own])).toMatchObject({ ok: false, error: { code: 'rejected' } });
    expect(await storedCount([own.event.id])).toBe(0);
  });

  it('answers not-enrolled without a request when the till is not enrolled', async () => {
    const link = new TerminalLink({
      hqUrl: hq.url,
      credentials: fileCredentialStore(join(dir, 'never-enrolled.json')),
    });
    const a = await enrolledTill('Till A3');
    const signed = signEvent(a.events.earned('m-x', 1), a.identity.secretKey);
    expect(await link.relay([signed])).toMatchObject({ ok: false, error: { code: 'not-enrolled' } });
  });
});
