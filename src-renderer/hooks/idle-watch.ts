// The counter clears itself when nobody is at it. After the store's `memberIdleSeconds` with no input on a
// screen other than the idle one (a member, a sale, a redemption, an enrollment form, the manager screen),
// it goes back to the idle screen: the member's name and balance leave the screen and a sale under way is
// cancelled without asking (nobody is there to answer). After `signOutIdleMinutes` with no input it signs
// the cashier out. Both are store settings from HQ (src-shared/sync/wire.ts storeSettingsSchema).
//
// It checks every `checkEveryMs` against the Clock rather than setting one long timer per input: a check is
// cheap, a suspended machine's timers may fire late, and a test moves the clock (the page's fixed time in
// the end-to-end tests, a ManualClock here) instead of waiting. Pure of the DOM: the hook feeds it inputs.
import type { Clock } from '../../src-shared/kernel/clock.js';
import type { TimerHandle, Timers } from '../../src-shared/kernel/timers.js';
import type { StoreSettings } from '../../src-shared/sync/wire.js';

export type IdleAction = 'none' | 'clear-member' | 'sign-out';

/** What is due after `idleMs` without input, with a member's screen up or not. Sign-out wins. */
export function idleAction(
  idleMs: number,
  screenInUse: boolean,
  settings: Pick<StoreSettings, 'memberIdleSeconds' | 'signOutIdleMinutes'>,
): IdleAction {
  if (idleMs >= settings.signOutIdleMinutes * 60_000) return 'sign-out';
  if (screenInUse && idleMs >= settings.memberIdleSeconds * 1_000) return 'clear-member';
  return 'none';
}

export interface IdleWatchOptions {
  clock: Clock;
  timers: Timers;
  settings: () => Pick<StoreSettings, 'memberIdleSeconds' | 'signOutIdleMinutes'>;
  /** Whether a screen other than the idle one is up (a member, a sale…). */
  screenInUse: () => boolean;
  onClearMember: () => void;
  onSignOut: () => void;
  /** How often it looks (default 1 s: the timeouts are seconds and minutes long). */
  checkEveryMs?: number;
}

export class IdleWatch {
  private lastInputAt: number;
  private timer: TimerHandle | null = null;
  private running = false;

  constructor(private readonly options: IdleWatchOptions) {
    this.lastInputAt = options.clock.now();
  }

  /** A key, a touch, a scan: someone is at the counter. */
  input(): void {
    this.lastInputAt = this.options.clock.now();
  }

  /** Starts looking; idempotent. The idle time counts from now. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.lastInputAt = this.options.clock.now();
    this.arm();
  }

  stop(): void {
    this.running = false;
    if (this.timer) this.options.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  /** Looks once now (the timer calls it; tests may too). */
  check(): IdleAction {
    const o = this.options;
    const action = idleAction(o.clock.now() - this.lastInputAt, o.screenInUse(), o.settings());
    if (action === 'sign-out') {
      // Counted afresh: the sign-in screen shows next, and signing in again is input anyway.
      this.lastInputAt = o.clock.now();
      o.onSignOut();
    } else if (action === 'clear-member') {
      o.onClearMember();
    }
    return action;
  }

  private arm(): void {
    this.timer = this.options.timers.setTimeout(() => {
      this.timer = null;
      this.check();
      // A callback may have stopped it (the screen it watched went away).
      if (this.running) this.arm();
    }, this.options.checkEveryMs ?? 1_000);
  }
}
