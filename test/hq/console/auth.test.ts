// The console's gate: sign-in, roles, CSRF on every write, sessions that end, and the audit log — on both
// databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, type TestDatabase } from '../../support/databases.js';
import { CONSOLE_API } from '../../../src-shared/console/api.js';
import { SESSION_COOKIE } from '../../../src-shared/console/endpoint.js';
import { createConsoleUser, SESSION_IDLE_MS } from '../../../src-hq/store/console/users.js';
import { apiHarness, type Harness } from '../api/harness.js';
import { signedIn, signInAs, TEST_PASSWORD } from './session.js';

describe.each(databases)('console sign-in, roles, CSRF and audit on %s', (_name, open) => {
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

  it('signs in with the right password only, sets an httpOnly SameSite=Strict cookie, and audits both', async () => {
    await createConsoleUser(
      h.db,
      { username: 'ada', name: 'Ada', role: 'admin', password: TEST_PASSWORD },
      h.clock,
    );
    const wrong = await h.app.inject({
      method: 'POST',
      url: CONSOLE_API.signIn.path,
      payload: { username: 'ada', password: 'not the password' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.cookies).toHaveLength(0);
    const unknown = await h.app.inject({
      method: 'POST',
      url: CONSOLE_API.signIn.path,
      payload: { username: 'nobody', password: TEST_PASSWORD },
    });
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json()).toEqual(wrong.json());

    const right = await h.app.inject({
      method: 'POST',
      url: CONSOLE_API.signIn.path,
      payload: { username: 'ada', password: TEST_PASSWORD },
    });
    expect(right.statusCode).toBe(200);
    const cookie = right.cookies.find((c) => c.name === SESSION_COOKIE)!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(right.body).not.toContain(cookie.value);

    const admin = await signInAs(h.app, 'ada', TEST_PASSWORD);
    const { entries } = await admin.ok(CONSOLE_API.auditLog, { query: { action: 'session.sign-in' } });
    expect(
      entries
        .filter((e) => e.actor === 'ada')
        .map((e) => e.outcome)
        .sort(),
    ).toEqual(['done', 'done', 'refused']);
  });

  it('refuses without a session, a role outside the endpoint, and a write without the CSRF token', async () => {
    const anonymous = await h.app.inject({ method: 'GET', url: CONSOLE_API.listUsers.path });
    expect(anonymous.statusCode).toBe(401);
    const analyst = await signedIn(h.app, h.db, h.clock, 'analyst');
    expect((await analyst.call(CONSOLE_API.listUsers)).statusCode).toBe(403);

    const admin = await signedIn(h.app, h.db, h.clock, 'admin');
    const body = { username: 'csrf-victim', name: 'V', role: 'analyst', password: TEST_PASSWORD };
    const forged = await admin.call(CONSOLE_API.createUser, { body, withoutCsrf: true });
    expect(forged.statusCode).toBe(403);
    expect(forged.json()).toMatchObject({ error: 'csrf' });
    const users = await admin.ok(CONSOLE_API.listUsers);
    expect(users.users.map((u) => u.username)).not.toContain('csrf-victim');

    const made = await admin.call(CONSOLE_API.createUser, { body });
    expect(made.statusCode).toBe(200);
    const { entries } = await admin.ok(CONSOLE_API.auditLog, { query: { action: 'user.create' } });
    expect(entries.map((e) => [e.target, e.outcome])).toEqual(
      expect.arrayContaining([['user csrf-victim', 'done']]),
    );
  });

  it('ends a session after its idle time, at sign-out, and when the user is disabled', async () => {
    const idle = await signedIn(h.app, h.db, h.clock, 'analyst');
    expect((await idle.call(CONSOLE_API.session)).statusCode).toBe(200);
    h.clock.advance(SESSION_IDLE_MS + 1);
    expect((await idle.call(CONSOLE_API.session)).statusCode).toBe(401);

    const out = await signedIn(h.app, h.db, h.clock, 'analyst');
    expect((await out.call(CONSOLE_API.signOut)).statusCode).toBe(200);
    expect((await out.call(CONSOLE_API.session)).statusCode).toBe(401);

    const admin = await signedIn(h.app, h.db, h.clock, 'admin');
    const victim = await signedIn(h.app, h.db, h.clock, 'program-manager');
    await admin.ok(CONSOLE_API.changeUser, {
      params: { id: victim.session.user.id },
      body: { disabled: true, reason: 'left the company' },
    });
    expect((await victim.call(CONSOLE_API.session)).statusCode).toBe(401);
    const { entries } = await admin.ok(CONSOLE_API.auditLog, { query: { action: 'user.change' } });
    expect(entries[0]).toMatchObject({
      reason: 'left the company',
      outcome: 'done',
      actor: admin.session.user.username,
    });
  });

  it('keeps the last admin', async () => {
    const db = h.db;
    const admins = (
      await db.query<{ id: string }>("SELECT id FROM console_users WHERE role = 'admin' AND NOT disabled")
    ).rows;
    const admin = await signedIn(h.app, h.db, h.clock, 'admin');
    for (const { id } of admins)
      await admin.ok(CONSOLE_API.changeUser, { params: { id }, body: { disabled: true } });
    const self = await admin.call(CONSOLE_API.changeUser, {
      params: { id: admin.session.user.id },
      body: { role: 'analyst' },
    });
    expect(self.statusCode).toBe(409);
    expect(self.json()).toMatchObject({ error: 'last-admin' });
  });
});
