// A new till's members bootstrap in real Chromium (Debian's, through playwright-core), on a persistent
// profile: the harness page's real src-renderer code fills its replica from the snapshot of a fake host
// (membersBackend: HQ's snapshot format read by main's real SnapshotRelay), Chromium is killed with SIGKILL
// in the middle, and the restarted till says its replica is still bootstrapping, resumes where it stopped
// (not from the first member) at the same checkpoint, and ends with exactly HQ's members.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { err } from '../../src-shared/kernel/result.js';
import type { SnapshotPosition } from '../../src-shared/sync/snapshot.js';
import type { TerminalApi } from '../../src-shared/ipc/terminal-api.js';
import {
  cardFor,
  killChromium,
  launchPersistent,
  membersBackend,
  openHarnessPage,
  serveHarness,
  type HarnessServer,
} from '../support/browser-harness.js';

const LIMIT = { timeout: 120_000 };
const MEMBERS = 20_000;
const ALL = ['members', 'products', 'programs', 'cashiers', 'events'] as const;

const folders: string[] = [];
const contexts: BrowserContext[] = [];
let server: HarnessServer | null = null;

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await server?.close();
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
}, LIMIT.timeout);

async function launch(profile: string): Promise<BrowserContext> {
  const context = await launchPersistent(profile);
  contexts.push(context);
  return context;
}

describe('the members bootstrap in Chromium', () => {
  it('killed mid-snapshot: restarts bootstrapping, resumes, and ends equal to HQ', LIMIT, async () => {
    const backend = membersBackend(MEMBERS);
    const asked: SnapshotPosition[] = [];
    const recording: TerminalApi = {
      ...backend,
      snapshot: (position, limit) => {
        asked.push(position);
        return backend.snapshot(position, limit);
      },
    };
    // HQ out of reach: every HQ call fails as the link does when offline.
    const offline: TerminalApi = {
      ...recording,
      snapshot: async () => err({ code: 'offline', message: 'HQ cannot be reached' }),
      pull: async () => err({ code: 'offline', message: 'HQ cannot be reached' }),
      onHqStream: () => () => undefined,
    };
    server = await serveHarness(recording);
    const profile = mkdtempSync(join(tmpdir(), 'loyalty-e2e-bootstrap-'));
    folders.push(profile);

    const first = await launch(profile);
    const page = await openHarnessPage(first, server.url);
    await page.evaluate(() => window.harness!.open('bootstrap'));
    await page.waitForFunction(() => window.harness!.membersReceived() >= 6_000, undefined, {
      polling: 20,
      timeout: 60_000,
    });
    await killChromium(first);
    const before = asked.length;
    expect(asked[0]).toEqual({ checkpoint: null, after: null });

    // Restarted while HQ is away: part of the members are there, and the replica says it is not complete.
    server.setBackend(offline);
    const second = await launch(profile);
    const again = await openHarnessPage(second, server.url);
    await again.evaluate(() => window.harness!.open('bootstrap'));
    const half = await again.evaluate((n) => window.harness!.checkReplica(n), MEMBERS);
    expect(half.bootstrapping).toBe(true);
    expect(half.members).toBeGreaterThanOrEqual(5_000);
    expect(half.members).toBeLessThan(MEMBERS);
    expect(half.differing).toBe(0);
    const found = await again.evaluate((c) => window.harness!.lookupCards(c), [cardFor(10)]);
    expect(found.found).toBe(1);

    // HQ back: the bootstrap goes on from where it stopped, at the same checkpoint, to the end.
    server.setBackend(recording);
    await again.evaluate((c) => window.harness!.waitInSync([...c]), ALL);
    const done = await again.evaluate((n) => window.harness!.checkReplica(n), MEMBERS);
    expect(done).toEqual({ members: MEMBERS, differing: 0, bootstrapping: false });
    const resumed = asked[before];
    expect(resumed?.checkpoint).toEqual({ seq: MEMBERS });
    expect(resumed?.after).not.toBeNull();
    // After the last page noted as written: never beyond what the replica holds, never from the start.
    const kept = Number(resumed?.after?.slice(2)) + 1;
    expect(kept).toBeGreaterThanOrEqual(5_000);
    expect(kept).toBeLessThanOrEqual(half.members);
    await again.evaluate(() => window.harness!.close());
  });
});
