// The member scope's routes on PGlite and real PostgreSQL: the chain's rules and a store's region set by
// an admin (refused when they do not fit), a new till's snapshot limited to its store's scope, and the
// on-demand fetch by card: the member outside the scope answered online and kept by the store from then on
// (in its tills' snapshot and pull), by phone lookup key too, no one for an unknown card, a payment card
// refused, a terminal only.
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishProgram } from '../../../src-hq/store/programs.js';
import { createStore } from '../../../src-hq/store/stores.js';
import { scopeFetchResponseSchema, scopePhoneFetchResponseSchema } from '../../../src-shared/sync/scope.js';
import type { EnrollResponse } from '../../../src-shared/sync/wire.js';
import { databases, type TestDatabase } from '../../support/databases.js';
import { eventFactory, testProgram } from '../../support/events.js';
import { apiHarness, STORE_ID, type Harness } from './harness.js';

const OTHER_STORE = 's-scope-2';
const CARD = '2900000000017';

describe.each(databases)('the member scope routes on %s', (_name, open) => {
  let t: TestDatabase;
  let h: Harness;
  let home: EnrollResponse;
  let away: EnrollResponse;

  /** The member ids of a till's snapshot (uncompressed). */
  const snapshotIds = async (token: string): Promise<string[]> => {
    const answer = await h.request({ method: 'GET', url: '/v1/snapshot/members', token });
    expect(answer.statusCode).toBe(200);
    const body = answer.headers['content-encoding'] === 'gzip' ? gunzipSync(answer.rawPayload) : answer.body;
    return String(body)
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => JSON.parse(line) as { id?: string; snapshot?: string })
      .filter((value) => value.snapshot === undefined)
      .map((value) => value.id ?? '')
      .sort();
  };
  const fetchCard = (card: string, token: string | null = away.token) =>
    h.request({ method: 'POST', url: '/v1/scope/members', token, payload: { card } });

  beforeAll(async () => {
    t = await open();
    await publishProgram(t.db, testProgram());
    h = await apiHarness(t.db);
    await createStore(t.db, { id: OTHER_STORE, name: 'Store two', timeZone: 'Europe/Paris' });
    home = await h.enroll('Home till');
    away = await h.enroll('Away till', OTHER_STORE);
    const f = eventFactory({ terminalId: home.terminalId, storeId: STORE_ID });
    const events = [f.enrolled('m-scope-home', { cards: [CARD] }), f.enrolled('m-scope-other')];
    const pushed = await h.request({
      method: 'POST',
      url: '/v1/events',
      token: home.token,
      payload: { events },
    });
    expect(pushed.statusCode).toBe(200);
  });
  afterAll(async () => {
    await h.close();
    await t.close();
  });

  it('serve every member to every till until the chain sets rules', async () => {
    expect(await snapshotIds(away.token)).toEqual(['m-scope-home', 'm-scope-other']);
  });

  it('take rules and regions from an admin, and refuse what does not fit', async () => {
    const bad = await h.request({
      method: 'PUT',
      url: '/v1/admin/scope',
      token: h.adminToken,
      payload: { rules: { kind: 'scoped', enrolledHere: true, activeMonths: 500, area: 'store' } },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('activeMonths');
    const rules = { kind: 'scoped', enrolledHere: true, activeMonths: 12, area: 'store' };
    const put = await h.request({
      method: 'PUT',
      url: '/v1/admin/scope',
      token: h.adminToken,
      payload: { rules },
    });
    expect(put.statusCode).toBe(200);
    const got = await h.request({ method: 'GET', url: '/v1/admin/scope', token: h.adminToken });
    expect(got.json()).toEqual({ rules });
    const region = await h.request({
      method: 'PUT',
      url: `/v1/admin/stores/${OTHER_STORE}/region`,
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
    expect(unknown.statusCode).toBe(404);
    const notAdmin = await h.request({ method: 'GET', url: '/v1/admin/scope', token: away.token });
    expect(notAdmin.statusCode).toBe(401);
  });

  it("limit a new till's snapshot to its store's scope", async () => {
    expect(await snapshotIds(home.token)).toEqual(['m-scope-home', 'm-scope-other']);
    expect(await snapshotIds(away.token)).toEqual([]);
  });

  it('answer a member outside the scope online, and keep them for the store from then on', async () => {
    const answer = await fetchCard(CARD);
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['cache-control']).toBe('no-store');
    const { member } = scopeFetchResponseSchema.parse(answer.json());
    expect(member).toMatchObject({ id: 'm-scope-home', cards: [CARD], _deleted: false });
    expect(await snapshotIds(away.token)).toEqual(['m-scope-home']);
  });

  it('answer the members with a phone lookup key online, and keep them for the store', async () => {
    const hash = 'c'.repeat(64);
    await t.db.query("UPDATE members SET phone_hash = $1 WHERE id = 'm-scope-other'", [hash]);
    const byPhone = (phoneHash: string) =>
      h.request({
        method: 'POST',
        url: '/v1/scope/members/by-phone',
        token: away.token,
        payload: { phoneHash },
      });
    const answer = await byPhone(hash);
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(scopePhoneFetchResponseSchema.parse(answer.json()).members.map((m) => m.id)).toEqual([
      'm-scope-other',
    ]);
    expect(await snapshotIds(away.token)).toEqual(['m-scope-home', 'm-scope-other']);
    expect((await byPhone('d'.repeat(64))).json()).toEqual({ members: [] });
    expect((await byPhone('not-a-hash')).statusCode).toBe(400);
  });

  it('answer no one for an unknown card, refuse a payment card, and serve terminals only', async () => {
    const unknown = await fetchCard('2900000000999');
    expect(unknown.statusCode).toBe(200);
    expect(unknown.json()).toEqual({ member: null });
    const payment = await fetchCard('4111111111111111');
    expect(payment.statusCode).toBe(400);
    expect(payment.body).not.toContain('4111111111111111');
    expect((await fetchCard(CARD, null)).statusCode).toBe(401);
    expect((await fetchCard(CARD, h.adminToken)).statusCode).toBe(401);
    const bad = await h.request({
      method: 'POST',
      url: '/v1/scope/members',
      token: away.token,
      payload: { card: '' },
    });
    expect(bad.statusCode).toBe(400);
  });
});
