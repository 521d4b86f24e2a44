// startServer: opens the PGlite folder, migrates it, listens, and closes everything it opened.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer } from '../../../src-hq/api/server.js';
import { loadHqConfig } from '../../../src-hq/config.js';
import { healthSchema } from '../../../src-shared/sync/wire.js';
import { LogCapture } from './harness.js';
import pino from 'pino';

const dir = mkdtempSync(join(tmpdir(), 'hq-api-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('startServer', () => {
  it('migrates, listens on the configured host, answers health and closes', { timeout: 30_000 }, async () => {
    const config = loadHqConfig({ HQ_DATA_DIR: join(dir, 'hq'), HQ_PORT: '0', HQ_HOST: '127.0.0.1' });
    const logs = new LogCapture();
    const server = await startServer(config, { logger: pino(logs) });
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const res = await fetch(`${server.url}/v1/health`);
      expect(res.status).toBe(200);
      expect(healthSchema.parse(await res.json())).toMatchObject({ status: 'ok', database: 'pglite' });
      const migrated = await server.db.query('SELECT version FROM schema_migrations');
      expect(migrated.rowCount).toBeGreaterThan(0);
      expect(logs.text).toContain('database migrated');
    } finally {
      await server.close();
    }
    await expect(fetch(`${server.url}/v1/health`)).rejects.toThrow();
    // Closing twice is harmless.
    await server.close();
  });
});
