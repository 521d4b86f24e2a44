// Every write through the bearer-token admin API (the scripts' and the CLI's way in) is in the same audit
// log as the console's: who (the token's name), what (method and route), the target, the outcome and when.
// A refused write is recorded as refused; a read is not recorded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../../../src-hq/store/console/audit.js';
import { databases, type TestDatabase } from '../../support/databases.js';
import { apiHarness, STORE_ID, type Harness } from './harness.js';

describe.each(databases)('admin API audit on %s', (_name, open) => {
  let t: TestDatabase;
  let h: Harness;
  beforeAll(async () => {
    t = await open();
    h = await apiHarness(t.db);
  });
  afterAll(async () => {
    await h?.close();
    await t?.close();
  });

  it('records each write under the token’s name, refused ones as refused, and no read', async () => {
    const made = await h.request({
      method: 'POST',
      url: '/v1/admin/stores',
      token: h.adminToken,
      payload: { id: 'audited-store', name: 'Audited', timeZone: 'Europe/Dublin' },
    });
    expect(made.statusCode).toBe(201);
    const again = await h.request({
      method: 'POST',
      url: '/v1/admin/stores',
      token: h.adminToken,
      payload: { id: 'audited-store', name: 'Audited', timeZone: 'Europe/Dublin' },
    });
    expect(again.statusCode).toBe(409);
    const code = await h.request({
      method: 'POST',
      url: '/v1/admin/enrollment-codes',
      token: h.adminToken,
      payload: { storeId: STORE_ID },
    });
    expect(code.statusCode).toBe(201);
    const read = await h.request({ method: 'GET', url: '/v1/admin/stores', token: h.adminToken });
    expect(read.statusCode).toBe(200);

    const { entries } = await listAudit(h.db, { actor: 'token:tests', limit: 50 });
    expect(entries.map((e) => [e.action, e.target, e.outcome])).toEqual([
      ['POST /v1/admin/enrollment-codes', `store ${STORE_ID}`, 'done'],
      ['POST /v1/admin/stores', 'store audited-store', 'refused'],
      ['POST /v1/admin/stores', 'store audited-store', 'done'],
    ]);
    // The enrollment code is a credential: it is not in the audit log.
    const { code: secret } = code.json<{ code: string }>();
    expect(JSON.stringify(entries)).not.toContain(secret);
  });
  it('records the member scope’s admin writes too: the chain’s rules and a store’s region', async () => {
    const rules = await h.request({
      method: 'PUT',
      url: '/v1/admin/scope',
      token: h.adminToken,
      payload: { rules: { kind: 'scoped', enrolledHere: true, activeMonths: 12, area: 'store' } },
    });
    expect(rules.statusCode).toBe(200);
    const region = await h.request({
      method: 'PUT',
      url: `/v1/admin/stores/${STORE_ID}/region`,
      token: h.adminToken,
      payload: { region: 'west' },
    });
    expect(region.statusCode).toBe(200);
    const unknown = await h.request({
      method: 'PUT',
      url: '/v1/admin/stores/no-such-store/region',
      token: h.adminToken,
      payload: { region: 'west' },
    });
    expect(unknown.statusCode).toBeGreaterThanOrEqual(400);

    const { entries } = await listAudit(h.db, { actor: 'token:tests', limit: 50 });
    expect(entries.slice(0, 3).map((e) => [e.action, e.target, e.outcome])).toEqual([
      ['PUT /v1/admin/stores/:id/region', 'store no-such-store', 'refused'],
      ['PUT /v1/admin/stores/:id/region', `store ${STORE_ID}`, 'done'],
      ['PUT /v1/admin/scope', null, 'done'],
    ]);
  });
});
