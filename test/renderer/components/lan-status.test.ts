// The store LAN on the counter (issue 16): the status bar's pill says how many of the store's other tills
// answer ("2 of 3 tills nearby"), nothing when the LAN is off; the offline hint says how much of the store's
// one allowance other tills used, and only when they used some.
import { afterEach, describe, expect, it } from 'vitest';
import { offlineLeftText } from '../../../src-renderer/components/rewards-overview.js';
import { lanText } from '../../../src-renderer/components/status-bar.js';
import { speakLocale } from '../../../src-renderer/i18n/index.js';
import type { StoreOfflineBound } from '../../../src-shared/engine/store-bound.js';

describe('the status bar LAN pill', () => {
  afterEach(async () => {
    await speakLocale('en-IE');
  });

  it('nothing when the LAN is off', () => {
    expect(lanText({ enabled: false, reachable: 0, known: 0 })).toBe(null);
  });

  it('reachable of known tills, its tone by how many answer', () => {
    expect(lanText({ enabled: true, reachable: 2, known: 3 })).toEqual({
      text: '2 of 3 tills nearby',
      tone: 'warn',
    });
    expect(lanText({ enabled: true, reachable: 3, known: 3 })).toEqual({
      text: '3 of 3 tills nearby',
      tone: 'ok',
    });
    expect(lanText({ enabled: true, reachable: 0, known: 2 })).toEqual({
      text: '0 of 2 tills nearby',
      tone: 'bad',
    });
    expect(lanText({ enabled: true, reachable: 0, known: 0 })).toEqual({
      text: 'No other till known',
      tone: 'warn',
    });
  });

  it('in French', async () => {
    await speakLocale('fr-FR');
    expect(lanText({ enabled: true, reachable: 2, known: 3 })?.text).toBe('2 caisses sur 3 à portée');
  });
});

describe('the store allowance hint', () => {
  const bound: StoreOfflineBound = {
    allowance: 1_000,
    limit: 1_500,
    used: 500,
    left: 1_000,
    allowanceLeft: 500,
    own: 200,
    peers: 300,
    peerTerminals: 1,
    overrideUsed: 0,
    overrideLeft: 500,
  };

  it('says what other tills used when they used some', () => {
    expect(offlineLeftText(bound)).toBe(
      'Offline: 1,000 of 1,500 points left for this member (300 points used at other tills)',
    );
    const alone: StoreOfflineBound = { ...bound, own: 500, peers: 0, peerTerminals: 0 };
    expect(offlineLeftText(alone)).toBe('Offline: 1,000 of 1,500 points left for this member');
  });
});
