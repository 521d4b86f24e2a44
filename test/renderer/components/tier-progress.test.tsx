// The member's tier line: a member HQ has not placed in a tier yet is shown in the level their total earns
// now (programs start their first tier at 0 points, so nobody is "None yet"), and the next level's distance.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { TierProgressView } from '../../../src-renderer/components/tier-progress.js';
import { emptyMember } from '../../../src-shared/ledger/member.js';
import { SILVER_GOLD_TIERS, testProgram } from '../../support/events.js';
import { textOf } from '../../support/render-text.js';

const now = Date.parse('2025-03-03T12:00:00Z');
const program = testProgram({ tiers: SILVER_GOLD_TIERS });
const text = textOf;

describe('TierProgressView', () => {
  it('shows the base tier, not "None yet", for a member without one when the first tier starts at 0', () => {
    const member = emptyMember('m-1', '2025-03-01T10:00:00Z');
    expect(member.tier).toBeNull();
    const shown = text(
      renderToStaticMarkup(<TierProgressView member={member} program={program} now={now} />),
    );
    expect(shown).toContain('Tier: Silver');
    expect(shown).toContain('1,000 points to Gold');
  });

  it("shows the tier HQ has on file, even above what the total earns now (HQ's nightly job moves tiers)", () => {
    const member = { ...emptyMember('m-2', '2025-03-01T10:00:00Z'), tier: 'gold' };
    const shown = text(
      renderToStaticMarkup(<TierProgressView member={member} program={program} now={now} />),
    );
    expect(shown).toContain('Tier: Gold');
  });
});
