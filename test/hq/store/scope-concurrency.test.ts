// Real concurrency on PostgreSQL (PGlite has one connection): a store's tills fetch a member on demand while
// another store's till keeps pushing earns for that member, and a till of the fetching store pulls all along.
// Whatever the interleaving, a till that keeps every fetched and pulled document (the newest by memberSeq)
// ends with HQ's final document: no change of the member is skipped by the scoped pull, whether it
// committed before, during or after a fetch.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src-hq/db/database.js';
import { pushEvents } from '../../../src-hq/store/ingest.js';
import { getMember } from '../../../src-hq/store/members.js';
import { pull } from '../../../src-hq/store/pull.js';
import { keepMemberByCard, setScopeRules } from '../../../src-hq/store/scope.js';
import type { MemberDoc } from '../../../src-shared/sync/wire.js';
import { postgresDatabase, type TestDatabase } from '../../support/databases.js';
import { clockAt, publishTestProgram, terminalWithFactory, uniq } from './helpers.js';

const EARNS = 40;
const FETCHES = 15;

describe('fetching a member while they change, on postgres', () => {
  let t: TestDatabase;
  let db: Db;
  const clock = clockAt('2026-03-31T10:00:00.000Z');
  beforeAll(async () => {
    t = await postgresDatabase({ max: 12 });
    db = t.db;
    await publishTestProgram(db);
    await setScopeRules(db, { kind: 'scoped', enrolledHere: true, activeMonths: 12, area: 'store' }, clock);
  });
  afterAll(async () => t?.close());

  it('leaves the fetching till with the member as HQ last changed them', async () => {
    const home = await terminalWithFactory(db, uniq('home'), '2026-03-02T09:00:00.000Z');
    const away = await terminalWithFactory(db, uniq('away'));
    const member = uniq('m');
    const card = `K${Date.now()}`;
    await pushEvents(db, home.terminal, [home.f.enrolled(member, { cards: [card] })], clock);
    // The away till has pulled everything its scope holds: not this member.
    let checkpoint = 0;
    for (;;) {
      const page = await pull(db, 'members', { checkpoint, limit: 500 }, away.terminal);
      if (page.documents.length === 0) break;
      checkpoint = page.checkpoint.seq;
    }
    const held = new Map<string, MemberDoc>();
    const keep = (doc: MemberDoc): void => {
      const known = held.get(doc.id);
      if (!known || known.memberSeq <= doc.memberSeq) held.set(doc.id, doc);
    };
    let pushing = true;
    const earns = (async () => {
      for (let i = 0; i < EARNS; i++) await pushEvents(db, home.terminal, [home.f.earned(member, 1)], clock);
      pushing = false;
    })();
    const fetches = (async () => {
      for (let i = 0; i < FETCHES && pushing; i++) {
        const doc = await keepMemberByCard(db, away.terminal.storeId, card, clock);
        if (doc) keep(doc);
      }
    })();
    const pulls = (async () => {
      const drain = async (): Promise<void> => {
        for (;;) {
          const page = await pull(db, 'members', { checkpoint, limit: 3 }, away.terminal);
          if (page.documents.length === 0) return;
          for (const doc of page.documents as MemberDoc[]) keep(doc);
          checkpoint = page.checkpoint.seq;
        }
      };
      while (pushing) await drain();
    })();
    await Promise.all([earns, fetches, pulls]);
    // Caught up once the writers are done (the horizon passes every committed number).
    const final = await getMember(db, member);
    for (let tries = 0; tries < 50 && held.get(member)?.memberSeq !== final?.memberSeq; tries++) {
      const page = await pull(db, 'members', { checkpoint, limit: 500 }, away.terminal);
      for (const doc of page.documents as MemberDoc[]) keep(doc);
      checkpoint = page.checkpoint.seq;
    }
    expect(final?.balance).toBe(EARNS);
    expect(held.get(member)).toEqual({ ...final, _deleted: false });
  });
});
