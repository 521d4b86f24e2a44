// The console's members handlers (endpoints in src-shared/console/members.ts; the work in
// src-hq/store/member-admin). A store manager reaches only the members enrolled at their stores: every
// handler that names a member checks it with assertStore before reading or writing. The member actions'
// refusals map to statuses here.
import type { membersEndpoints } from '../../../src-shared/console/members.js';
import type { ConsoleUser } from '../../../src-shared/console/auth.js';
import { adjustmentCap } from '../../../src-shared/members/adjustment.js';
import { defaultAdjustmentCaps } from '../../../src-shared/program/schema.js';
import type { Queryable } from '../../db/database.js';
import { adjustPoints } from '../../store/member-admin/adjust.js';
import { replaceCard } from '../../store/member-admin/cards.js';
import { eraseMember } from '../../store/member-admin/erase.js';
import {
  MemberActionError,
  UnknownMemberError,
  type MemberActionCode,
} from '../../store/member-admin/errors.js';
import { memberStoreId } from '../../store/member-admin/member-row.js';
import { mergeMembers } from '../../store/member-admin/merge.js';
import { memberExport, memberProfile } from '../../store/member-admin/profile.js';
import { searchMembers } from '../../store/member-admin/search.js';
import { currentProgram } from '../../store/programs.js';
import { HttpError } from '../errors.js';
import { assertStore, storeScope, type Handlers } from './call.js';

const STATUS: Record<MemberActionCode, number> = {
  'not-allowed': 403,
  'over-cap': 403,
  'over-balance': 409,
  zero: 400,
  'member-gone': 409,
  'not-this-members-card': 409,
  'card-blocked': 409,
  'card-taken': 409,
  'same-member': 400,
  'already-erased': 409,
  'no-program': 409,
};

const lastFour = (card: string): string => `…${card.slice(-4)}`;

/** Runs a store call, answering its refusals as HTTP errors. */
async function refusing<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof UnknownMemberError) throw new HttpError(404, 'unknown-member', error.message);
    if (error instanceof MemberActionError)
      throw new HttpError(STATUS[error.code], error.code, error.message);
    throw error;
  }
}

/** Refuses (403) a store manager a member not enrolled at one of their stores. */
async function assertMemberInScope(db: Queryable, user: ConsoleUser, memberId: string): Promise<void> {
  if (storeScope(user) === null) return;
  assertStore(user, await memberStoreId(db, memberId));
}

async function creditCap(db: Queryable, user: ConsoleUser): Promise<number | null> {
  const program = await currentProgram(db);
  return adjustmentCap(user.role, program?.adjustments.caps ?? defaultAdjustmentCaps);
}

export const membersHandlers: Handlers<typeof membersEndpoints> = {
  async searchMembers({ db, query, user }) {
    return searchMembers(db, {
      text: query.q,
      scope: storeScope(user),
      page: query.page,
      pageSize: query.pageSize,
    });
  },

  async memberProfile({ db, params, query, user }) {
    await assertMemberInScope(db, user, params.id);
    return refusing(async () =>
      memberProfile(db, params.id, { events: query.events, creditCap: await creditCap(db, user) }),
    );
  },

  async adjustPoints({ db, clock, params, body, user, audit }) {
    audit.target(`member ${params.id}`);
    audit.details({ points: body.points, reasonCode: body.reasonCode });
    await assertMemberInScope(db, user, params.id);
    const done = await refusing(() =>
      adjustPoints(db, clock, {
        memberId: params.id,
        role: user.role,
        username: user.username,
        points: body.points,
        reasonCode: body.reasonCode,
        reason: body.reason,
      }),
    );
    audit.details({ eventId: done.eventId });
    return done;
  },

  async replaceCard({ db, clock, params, body, user, audit }) {
    audit.target(`member ${params.id}`);
    // The cards' last four digits only: the audit log outlives an erasure of the member.
    audit.details({ lostCard: lastFour(body.lostCard), newCard: lastFour(body.newCard) });
    await assertMemberInScope(db, user, params.id);
    const cards = await refusing(() =>
      replaceCard(db, clock, {
        memberId: params.id,
        lostCard: body.lostCard,
        newCard: body.newCard,
        reason: body.reason,
      }),
    );
    return { cards };
  },

  async mergeMembers({ db, clock, params, body, user, audit }) {
    audit.target(`member ${params.id}`);
    audit.details({ merged: body.mergedId });
    const merged = await refusing(() =>
      mergeMembers(db, clock, { survivorId: params.id, mergedId: body.mergedId, username: user.username }),
    );
    audit.details({ movedPoints: merged.movedPoints, cards: merged.cards });
    return merged;
  },

  async exportMember({ db, clock, params, reply, audit }) {
    audit.target(`member ${params.id}`);
    const document = await refusing(() => memberExport(db, params.id, new Date(clock.now()).toISOString()));
    void reply.header('content-disposition', `attachment; filename="member-${params.id}.json"`);
    audit.details({ events: document.events.length });
    return document;
  },

  async eraseMember({ db, clock, params, audit }) {
    audit.target(`member ${params.id}`);
    const erased = await refusing(() => eraseMember(db, clock, params.id));
    audit.details({ redactedEvents: erased.redactedEvents });
    return { erased: true as const, pseudonym: erased.pseudonym };
  },
};
