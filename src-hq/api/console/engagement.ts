// The console's re-engagement handlers (endpoints in src-shared/console/engagement.ts). Segments are read
// under the user's store scope (a store manager sees and exports only members enrolled at one of their
// stores, as in the members area, and asking for another store is a 403). Only members who agreed to marketing and can be
// reached are exported or sent. The export answers a CSV download; its audit row says what was handed out.
import { toCsv } from '../../../src-shared/engagement/csv.js';
import type { engagementEndpoints, SegmentFilter } from '../../../src-shared/console/engagement.js';
import type { ConsoleUser } from '../../../src-shared/console/auth.js';
import type { Program } from '../../../src-shared/program/schema.js';
import type { Db } from '../../db/database.js';
import { ConsentError, setConsent } from '../../store/engagement/consent.js';
import { createDelivery, EmptySegmentError, listDeliveries } from '../../store/engagement/deliveries.js';
import {
  memberName,
  segmentMembers,
  segmentPage,
  type SegmentRow,
  type SegmentScope,
} from '../../store/engagement/segments.js';
import { getWebhook, removeWebhook, setWebhook } from '../../store/engagement/webhook.js';
import { currentProgram } from '../../store/programs.js';
import { HttpError } from '../errors.js';
import { assertStore, storeScope, type Handlers } from './call.js';

/** The most members one export or delivery hands out (a larger segment is refused, to be narrowed). */
export const MAX_HANDED_OUT = 100_000;

async function programOrRefuse(db: Db): Promise<Program> {
  const program = await currentProgram(db);
  if (!program) throw new HttpError(409, 'no-program', 'No program is published: there are no points yet.');
  return program;
}

/** The segment's filter alone (the body's other fields dropped), in a fixed key order for the audit. */
function filterOf(input: SegmentFilter): SegmentFilter {
  const { segment, days, withinPoints, withinPercent, storeId, tier, minPoints } = input;
  return Object.fromEntries(
    Object.entries({ segment, days, withinPoints, withinPercent, storeId, tier, minPoints }).filter(
      ([, v]) => v !== undefined,
    ),
  ) as SegmentFilter;
}

function scopeFor(user: ConsoleUser, filter: SegmentFilter, reachableOnly: boolean): SegmentScope {
  if (filter.storeId !== undefined) assertStore(user, filter.storeId);
  return { stores: storeScope(user), reachableOnly };
}

/** Every reachable member of the segment, refused when there are too many to hand out at once. */
async function reachable(
  db: Db,
  program: Program,
  filter: SegmentFilter,
  at: number,
  scope: SegmentScope,
): Promise<SegmentRow[]> {
  const rows: SegmentRow[] = [];
  for await (const row of segmentMembers(db, program, filter, at, scope)) {
    if (rows.length === MAX_HANDED_OUT)
      throw new HttpError(
        413,
        'segment-too-large',
        `More than ${MAX_HANDED_OUT} members: narrow the segment (a store, a tier, minimum points).`,
      );
    rows.push(row);
  }
  return rows;
}

const CSV_HEADER = [
  'member_id',
  'name',
  'email',
  'phone',
  'points',
  'tier',
  'store',
  'segment',
  'reason',
  'reason_points',
  'reason_date',
] as const;

export const engagementHandlers: Handlers<typeof engagementEndpoints> = {
  segmentMembers: async ({ db, clock, user, query }) => {
    const program = await programOrRefuse(db);
    const filter = filterOf(query);
    const page = await segmentPage(db, program, filter, clock.now(), scopeFor(user, filter, false), {
      after: query.after,
      limit: query.limit,
    });
    return {
      members: page.members.map((r) => ({
        memberId: r.memberId,
        name: memberName(r),
        consent: r.consent,
        contactable: r.email !== null || r.phone !== null,
        balance: r.balance,
        tier: r.tier,
        storeId: r.storeId,
        lastVisitAt: r.lastVisitAt,
        reason: r.reason,
      })),
      next: page.next,
    };
  },

  exportSegment: async ({ db, clock, user, body, reply, audit }) => {
    const program = await programOrRefuse(db);
    const filter = filterOf(body);
    const at = clock.now();
    const rows = await reachable(db, program, filter, at, scopeFor(user, filter, true));
    audit.target(`segment ${filter.segment}`);
    audit.details({ filter, members: rows.length });
    const csv = toCsv(
      CSV_HEADER,
      rows.map((r) => [
        r.memberId,
        memberName(r),
        r.email,
        r.phone,
        r.balance,
        r.tier,
        r.storeId,
        filter.segment,
        r.reason.text,
        r.reason.points,
        r.reason.date,
      ]),
    );
    const day = new Date(at).toISOString().slice(0, 10);
    void reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="re-engagement-${filter.segment}-${day}.csv"`);
    return csv;
  },

  setConsent: async ({ db, clock, user, params, body, audit }) => {
    audit.target(`member ${params.memberId}`);
    audit.details({ marketing: body.marketing });
    try {
      return await setConsent(db, params.memberId, body.marketing, user.username, clock);
    } catch (error) {
      if (error instanceof ConsentError)
        throw new HttpError(error.code === 'unknown-member' ? 404 : 409, error.code, error.message);
      throw error;
    }
  },

  getWebhook: async ({ db }) => ({ webhook: await getWebhook(db) }),

  setWebhook: async ({ db, clock, user, body, audit }) => {
    const answer = await setWebhook(
      db,
      { url: body.url, rotate: body.rotateSecret, by: user.username },
      clock,
    );
    audit.target('webhook');
    // The URL and whether a secret was made; never the secret.
    audit.details({
      url: answer.webhook.url,
      secretMade: answer.secret !== null,
      secretHint: answer.webhook.secretHint,
    });
    return answer;
  },

  removeWebhook: async ({ db, audit }) => {
    audit.target('webhook');
    return { removed: await removeWebhook(db) };
  },

  sendSegment: async ({ db, clock, user, body, audit }) => {
    const program = await programOrRefuse(db);
    const filter = filterOf(body);
    if (!(await getWebhook(db)))
      throw new HttpError(409, 'no-webhook', 'Set the messaging tool\u2019s webhook first (an admin does).');
    const rows = await reachable(db, program, filter, clock.now(), scopeFor(user, filter, true));
    try {
      const { delivery, created } = await createDelivery(
        db,
        { id: body.deliveryId, segment: filter, members: rows, createdBy: user.username },
        clock,
      );
      audit.target(`delivery ${delivery.id}`);
      audit.details({ filter, members: delivery.members, batches: delivery.batches, created });
      return delivery;
    } catch (error) {
      if (error instanceof EmptySegmentError) throw new HttpError(409, 'empty-segment', error.message);
      throw error;
    }
  },

  listDeliveries: async ({ db, query }) => ({ deliveries: await listDeliveries(db, query.limit) }),
};
