// HQ behind a TLS proxy (docs/operations.md): HQ_TRUST_PROXY names the proxy, so a sign-in that reached the
// proxy over https gets a Secure cookie, and rate limits count the client's address, not the proxy's.
// Without it, X-Forwarded-* from anyone is ignored.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type StartedServer } from '../../../src-hq/api/server.js';
import { loadHqConfig } from '../../../src-hq/config.js';
import { createConsoleUser } from '../../../src-hq/store/console/users.js';
import { CONSOLE_API } from '../../../src-shared/console/api.js';
import { systemClock } from '../../../src-shared/kernel/clock.js';
import { TEST_PASSWORD } from './session.js';

describe('HQ_TRUST_PROXY', () => {
  it('reads true, false, or a list of proxy addresses, and refuses anything else', () => {
    expect(loadHqConfig({}).HQ_TRUST_PROXY).toBe(false);
    expect(loadHqConfig({ HQ_TRUST_PROXY: 'true' }).HQ_TRUST_PROXY).toBe(true);
    expect(loadHqConfig({ HQ_TRUST_PROXY: 'false' }).HQ_TRUST_PROXY).toBe(false);
    expect(loadHqConfig({ HQ_TRUST_PROXY: '127.0.0.1, 10.0.0.0/8' }).HQ_TRUST_PROXY).toBe(
      '127.0.0.1,10.0.0.0/8',
    );
    expect(() => loadHqConfig({ HQ_TRUST_PROXY: 'yes please' })).toThrow(/HQ_TRUST_PROXY/);
  });

  describe.each([
    ['behind a trusted proxy', '127.0.0.1', true],
    ['with no proxy trusted', undefined, false],
  ] as const)('%s', (_name, trust, secure) => {
    let dir: string;
    let hq: StartedServer;
    beforeAll(async () => {
      dir = mkdtempSync(resolve(tmpdir(), 'hq-proxy-'));
      const config = loadHqConfig({
        HQ_DATA_DIR: dir,
        HQ_PORT: '0',
        ...(trust ? { HQ_TRUST_PROXY: trust } : {}),
      });
      hq = await startServer(config, { logger: false });
      await createConsoleUser(
        hq.db,
        { username: 'ada', name: 'Ada', role: 'admin', password: TEST_PASSWORD },
        systemClock,
      );
    });
    afterAll(async () => {
      await hq?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it(`answers a sign-in forwarded over https with ${secure ? 'a Secure' : 'a plain'} cookie`, async () => {
      const answer = await fetch(`${hq.url}${CONSOLE_API.signIn.path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-forwarded-proto': 'https',
          'x-forwarded-for': '203.0.113.9',
        },
        body: JSON.stringify({ username: 'ada', password: TEST_PASSWORD }),
      });
      expect(answer.status).toBe(200);
      const cookie = answer.headers.get('set-cookie') ?? '';
      expect(/;\s*Secure/i.test(cookie)).toBe(secure);
      // The audit log keeps the client's address when the proxy is trusted, the proxy's otherwise.
      const { rows } = await hq.db.query<{ ip: string }>('SELECT ip FROM audit_log ORDER BY id DESC LIMIT 1');
      expect(rows[0]?.ip).toBe(secure ? '203.0.113.9' : '127.0.0.1');
    });
  });
});
