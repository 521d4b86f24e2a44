// The member's tier and how far the next one is, from the same tier evaluation HQ runs.
import { tierProgress } from '../../src-shared/engine/tiers.js';
import type { Member } from '../../src-shared/ledger/member.js';
import type { Program } from '../../src-shared/program/schema.js';
import { moneyText, pointsText } from '../hooks/format.js';
import { useCounterText } from '../i18n/index.js';

export function TierProgressView(props: { member: Member; program: Program; now: number }) {
  const { member, program, now } = props;
  const t = useCounterText();
  const tiers = program.tiers;
  if (!tiers) return null;
  const progress = tierProgress(member, program, now);
  // A member HQ has not placed yet (no tier on file) is shown in the level their total earns now: a
  // program whose first tier starts at 0 has no "no tier".
  const current = tiers.levels.find((t) => t.id === (member.tier ?? progress.tier));
  const amount = (n: number) => (tiers.basis === 'points' ? pointsText(n) : moneyText(n, program.currency));
  const next = progress.next;
  return (
    <section className="tier" aria-label={t('member.tier.title')}>
      <p className="tier-name">
        {t('member.tier.label')} <strong>{current?.label ?? t('member.tier.none')}</strong>
      </p>
      {current && current.perks.length > 0 ? (
        <p className="tier-perks">{t('member.tier.perks', { perks: current.perks.join(' · ') })}</p>
      ) : null}
      {next ? (
        <>
          <progress
            aria-label={t('member.tier.progress')}
            className="tier-bar"
            max={progress.qualifying + next.needed}
            value={progress.qualifying}
          />
          <p className="tier-next">
            {t('member.tier.toNext', { amount: amount(next.needed), tier: next.label })}
          </p>
        </>
      ) : (
        <p className="tier-next">{t('member.tier.top')}</p>
      )}
    </section>
  );
}
