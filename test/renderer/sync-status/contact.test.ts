// Online or not: HQ's event stream going down is the newest word on it. An answer to a request sent before
// the stream went down (a pull still in flight when HQ stopped) must not mark the till online again, or
// the status bar says "Online" through an outage until the next request fails; an answer to a request sent
// after it, or the stream coming back, does.
import { BehaviorSubject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { CatalogReader } from '../../../src-renderer/db/catalog.js';
import { SyncStatusTracker } from '../../../src-renderer/sync-status/sync-status.js';
import { ManualClock } from '../../../src-shared/kernel/clock.js';
import { ManualTimers } from '../../../src-shared/kernel/timers.js';
import type { Program } from '../../../src-shared/program/schema.js';

function tracker() {
  const catalog = { program$: new BehaviorSubject<Program | null>(null) } as unknown as CatalogReader;
  const clock = new ManualClock(Date.parse('2025-03-03T09:00:00Z'));
  return new SyncStatusTracker(catalog, clock, new ManualTimers(clock));
}

describe('the till online or not', () => {
  it('stays offline when a request sent before the stream went down is answered after', () => {
    const status = tracker();
    status.noteContact();
    expect(status.state.online).toBe(true);
    const sentBefore = status.contactToken();
    status.noteDisconnected();
    expect(status.state.online).toBe(false);
    status.noteContact(sentBefore);
    expect(status.state.online).toBe(false);
  });

  it('is online again on an answer to a request sent after, or on the stream coming back', () => {
    const status = tracker();
    status.noteDisconnected();
    const sentAfter = status.contactToken();
    status.noteContact(sentAfter);
    expect(status.state.online).toBe(true);
    status.noteDisconnected();
    status.noteContact();
    expect(status.state.online).toBe(true);
  });
});
