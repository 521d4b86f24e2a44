// A new till's members replica filled from HQ's snapshot (member-bootstrap.ts) against a scripted HQ: no
// member is pulled from the start of the change history, the pull goes on from the snapshot's checkpoint
// and brings what changed meanwhile, cards are found through cardKey and the card index, and a bootstrap
// cut by an outage and a restart resumes where it stopped and is never taken for complete before its end.
import { describe, expect, it } from 'vitest';
import type { MemberRow } from '../../../src-renderer/db/schemas.js';
import type { Terminal } from '../../../src-renderer/startup/open-terminal.js';
import type { SnapshotPosition } from '../../../src-shared/sync/snapshot.js';
import type { MemberDoc } from '../../../src-shared/sync/wire.js';
import { memberDoc, memberIdFor } from '../../support/browser-harness.js';
import { exampleProgram } from '../../support/hq.js';
import { openTestTerminal, type TestTerminal } from '../../support/terminal.js';
import { FakeHq } from '../support/scripted-hq.js';

const MEMBERS = 120;
const backoff = { initialMs: 10, maxMs: 50 };

/** HQ with MEMBERS members; every seventh holds a second card. */
function hqWithMembers(): FakeHq {
  const hq = new FakeHq(exampleProgram('grocery-chain'));
  for (let i = 0; i < MEMBERS; i += 1) {
    const doc = memberDoc(i);
    hq.put('members', i % 7 === 0 ? { ...doc, cards: [...doc.cards, `91${i}`] } : doc);
  }
  return hq;
}

/** HQ's live members as the replica should hold them: id → [balance, cards]. */
function expected(hq: FakeHq): Map<string, [number, string[]]> {
  return new Map((hq.liveMembers() as MemberDoc[]).map((d) => [d.id, [d.balance, [...d.cards]]] as const));
}

async function replica(t: Terminal): Promise<Map<string, [number, string[]]>> {
  const docs = await t.databases.catalog.members.find().exec();
  return new Map(
    docs.map((d) => {
      const row = d.toJSON() as MemberRow;
      return [row.id, [row.balance, [...row.cards]]] as const;
    }),
  );
}

async function withTill<T>(hq: FakeHq, run: (t: TestTerminal) => Promise<T>): Promise<T> {
  const till = await openTestTerminal({ api: hq, backoff });
  try {
    return await run(till);
  } finally {
    await till.close();
  }
}

describe('the members bootstrap', () => {
  it('fills an empty replica from the snapshot, then pulls only what changed after its checkpoint', async () => {
    const hq = hqWithMembers();
    hq.snapshotPageCap = 50;
    // While the till reads the snapshot, HQ changes: a member it already has, and one it has not read yet.
    const answer = hq.snapshot.bind(hq);
    hq.snapshot = async (position: SnapshotPosition, limit: number) => {
      const page = await answer(position, limit);
      if (hq.snapshots === 1) {
        hq.put('members', { ...memberDoc(3), balance: 4_321 });
        hq.put('members', { ...memberDoc(100), _deleted: true, cards: [] });
      }
      return page;
    };
    await withTill(hq, async (till) => {
      await till.terminal.sync.replication('members').awaitInSync();
      await till.terminal.sync.flush();
      const t = till.terminal;
      expect(await replica(t)).toEqual(expected(hq));
      expect((await replica(t)).get(memberIdFor(3))?.[0]).toBe(4_321);
      expect((await replica(t)).has(memberIdFor(100))).toBe(false);
      expect(hq.snapshots).toBe(3);
      // No member was pulled from the beginning of HQ's history: the pull started at the checkpoint.
      const memberPulls = hq.pulls.filter((p) => p.collection === 'members');
      expect(memberPulls.length).toBeGreaterThan(0);
      const checkpoint = hq.snapshotsAsked[1]?.checkpoint?.seq ?? -1;
      expect(memberPulls[0]?.after).toBe(checkpoint);
      expect(memberPulls.every((p) => p.after >= checkpoint)).toBe(true);
      expect(await t.catalog.membersBootstrapping()).toBe(false);
      // Cards: the first through cardKey, a second one through the card index; only second cards there.
      expect((await t.services.lookupByCard(memberDoc(8).cards[0]!))?.member.id).toBe(memberIdFor(8));
      expect((await t.services.lookupByCard('917'))?.member.id).toBe(memberIdFor(7));
      expect(await t.databases.catalog.cards.count().exec()).toBe(
        [...expected(hq).values()].filter(([, cards]) => cards.length > 1).length,
      );
    });
  });

  it('resumes a bootstrap cut by an outage and a restart, and is never complete before its end', async () => {
    const hq = hqWithMembers();
    hq.snapshotPageCap = 20;
    const answer = hq.snapshot.bind(hq);
    hq.snapshot = async (position: SnapshotPosition, limit: number) => {
      const page = await answer(position, limit);
      if (hq.snapshots === 3) hq.online = false; // the connection drops after the third page
      return page;
    };
    await withTill(hq, async (till) => {
      const cut = await till.until((s) => s.collections.members.documents === 60 && !s.online);
      expect(cut.initialDone).toBe(false);
      expect(cut.lastPullAt).toBeNull();
      // The till restarts while HQ is away: 60 members are there, and the replica says it is not complete.
      const t = await till.restart();
      expect((await replica(t)).size).toBe(60);
      expect(await t.catalog.membersBootstrapping()).toBe(true);
      expect((await t.services.lookupByCard(memberDoc(10).cards[0]!))?.member.id).toBe(memberIdFor(10));

      hq.online = true;
      t.sync.syncNow();
      await t.sync.flush();
      expect(await replica(t)).toEqual(expected(hq));
      expect(await t.catalog.membersBootstrapping()).toBe(false);
      // It went on after the last member written, at the snapshot's first checkpoint.
      const resumed = hq.snapshotsAsked[3];
      expect(resumed).toEqual({ checkpoint: hq.snapshotsAsked[1]?.checkpoint, after: memberIdFor(59) });
    });
  });

  it('follows a card replaced or blocked at HQ after the bootstrap', async () => {
    const hq = hqWithMembers();
    await withTill(hq, async (till) => {
      await till.terminal.sync.flush();
      const t = till.terminal;
      const old = memberDoc(5).cards[0]!;
      // Card replaced: the old number is found no more, the new one is.
      hq.put('members', { ...memberDoc(5), cards: ['2999'] });
      // A second card blocked: the member keeps the first, the blocked one finds nobody.
      hq.put('members', { ...memberDoc(14), cards: [memberDoc(14).cards[0]!] });
      await t.sync.flush();
      expect(await t.services.lookupByCard(old)).toBeNull();
      expect((await t.services.lookupByCard('2999'))?.member.id).toBe(memberIdFor(5));
      expect(await t.services.lookupByCard('9114')).toBeNull();
      expect((await t.services.lookupByCard(memberDoc(14).cards[0]!))?.member.id).toBe(memberIdFor(14));
      // A card moved from one member to another, even as the second's second card.
      hq.put('members', { ...memberDoc(20), cards: [] });
      hq.put('members', { ...memberDoc(21), cards: [memberDoc(21).cards[0]!, memberDoc(20).cards[0]!] });
      await t.sync.flush();
      expect((await t.services.lookupByCard(memberDoc(20).cards[0]!))?.member.id).toBe(memberIdFor(21));
    });
  });
});
