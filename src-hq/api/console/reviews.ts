// The console's review queue handlers (endpoints in src-shared/console/reviews.ts), over the review store
// (src-hq/store/reviews.ts: paging, approve and reject as the admin API has them). Store managers are
// scoped by the store of the terminal that raised an item: their list is the merge of their stores'
// pages (keyset by id, so the merge pages exactly like one query), and opening or deciding another
// store's item is a 403 before anything is read or changed.
import type { ConsoleUser } from '../../../src-shared/console/auth.js';
import type { ReviewItemView, reviewsEndpoints } from '../../../src-shared/console/reviews.js';
import type { Queryable } from '../../db/database.js';
import {
  eventIdsOf,
  eventsByIds,
  memberHistory,
  reviewMember,
  storesOfTerminals,
} from '../../store/console/review-context.js';
import {
  approveReview,
  getReview,
  listReviewPage,
  rejectReview,
  UnknownReviewError,
  type ReviewFilter,
  type ReviewItem,
  type ReviewPage,
} from '../../store/reviews.js';
import { assertStore, storeScope, type Handlers } from './call.js';

async function withStores(db: Queryable, items: readonly ReviewItem[]): Promise<ReviewItemView[]> {
  const stores = await storesOfTerminals(
    db,
    items.flatMap((i) => (i.terminalId === null ? [] : [i.terminalId])),
  );
  return items.map((item) => ({
    ...item,
    storeId: item.terminalId === null ? null : (stores.get(item.terminalId) ?? null),
  }));
}

/** One page over several stores: each store's page after the same id, merged by id. */
async function pageOverStores(
  db: Queryable,
  filter: ReviewFilter,
  storeIds: readonly string[],
): Promise<ReviewPage> {
  const limit = filter.limit ?? 50;
  const pages = await Promise.all(storeIds.map((storeId) => listReviewPage(db, { ...filter, storeId })));
  const merged = pages.flatMap((p) => p.items).sort((a, b) => a.id - b.id);
  const items = merged.slice(0, limit);
  const more = merged.length > limit || pages.some((p) => p.next !== null);
  return { items, next: more ? (items[items.length - 1]?.id ?? null) : null };
}

/** The item, if the user may see it (a 404 for an unknown one, a 403 for another store's). */
async function visibleItem(db: Queryable, user: ConsoleUser, id: number): Promise<ReviewItemView> {
  const item = await getReview(db, id);
  if (!item) throw new UnknownReviewError(id);
  const [view] = await withStores(db, [item]);
  assertStore(user, (view as ReviewItemView).storeId);
  return view as ReviewItemView;
}

export const reviewsHandlers: Handlers<typeof reviewsEndpoints> = {
  async listReviews({ db, user, query }) {
    const { from, to, storeId, ...rest } = query;
    const filter: ReviewFilter = {
      ...rest,
      ...(from === undefined ? {} : { createdFrom: from }),
      ...(to === undefined ? {} : { createdTo: to }),
    };
    const scope = storeScope(user);
    if (storeId !== undefined) assertStore(user, storeId);
    const page =
      storeId !== undefined
        ? await listReviewPage(db, { ...filter, storeId })
        : scope === null
          ? await listReviewPage(db, filter)
          : await pageOverStores(db, filter, scope);
    return { items: await withStores(db, page.items), next: page.next };
  },

  async review({ db, user, params }) {
    const item = await visibleItem(db, user, params.id);
    const events = await eventsByIds(db, eventIdsOf(item));
    const scope = storeScope(user);
    const member = item.memberId === null ? null : await reviewMember(db, item.memberId);
    const history = item.memberId === null ? [] : await memberHistory(db, item.memberId, scope);
    return {
      item,
      // A store manager sees the item's events from their stores only, like the history.
      events: scope === null ? events : events.filter((e) => scope.includes(e.storeId)),
      member,
      history,
    };
  },

  async approveReview({ db, clock, user, params, body, audit }) {
    audit.target(`review ${params.id}`);
    const before = await visibleItem(db, user, params.id);
    const decided = await approveReview(db, params.id, { by: user.username, note: body.note ?? null }, clock);
    audit.details({
      kind: before.kind,
      memberId: before.memberId,
      storeId: before.storeId,
      decision: decided.decision,
      creditEventId: decided.creditEventId,
    });
    return { ...decided, storeId: before.storeId };
  },

  async rejectReview({ db, clock, user, params, body, audit }) {
    audit.target(`review ${params.id}`);
    const before = await visibleItem(db, user, params.id);
    const decided = await rejectReview(db, params.id, { by: user.username, note: body.note }, clock);
    audit.details({
      kind: before.kind,
      memberId: before.memberId,
      storeId: before.storeId,
      decision: decided.decision,
    });
    return { ...decided, storeId: before.storeId };
  },
};
