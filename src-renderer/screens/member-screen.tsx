// The member at the counter: name, tier, balance (and what HQ has confirmed), what they can afford, and
// the next steps. Scanning a product starts a sale with it; scanning another card switches member.
import { ActionButton } from '../components/action-button.js';
import { expiringSoon } from '../../src-shared/engine/expiry.js';
import { BalancePanel, EXPIRING_SOON_DAYS } from '../components/balance-panel.js';
import { MemberHistory } from '../components/member-history.js';
import { ErrorMessage } from '../components/messages.js';
import { offlineLeftText, RewardsOverview } from '../components/rewards-overview.js';
import { ScreenLayout } from '../components/screen-layout.js';
import { SlipSlot } from '../components/slip-view.js';
import { TierProgressView } from '../components/tier-progress.js';
import type { ShownMember } from '../services/index.js';
import { gtinCandidates, lineFromProduct } from '../hooks/basket.js';
import { scanOutcome } from '../hooks/scan-outcome.js';
import { useCounter } from '../hooks/use-counter.js';
import { useToast } from '../hooks/use-transient-notice.js';
import { useMember } from '../hooks/use-member.js';
import { useNow } from '../hooks/use-now.js';
import { useOfflineAllowance } from '../hooks/use-offline-allowance.js';
import { useProgram } from '../hooks/use-program.js';
import { useScanHandler } from '../hooks/use-scans.js';
import { useSyncStatus } from '../hooks/use-sync-status.js';
import { useTerminal } from '../hooks/use-terminal.js';
import type { Member } from '../../src-shared/ledger/member.js';
import { formatMonthYear } from '../hooks/format.js';
import { maskedCard } from '../hooks/scan-outcome.js';
import { i18n, useCounterText } from '../i18n/index.js';

export function MemberScreen(props: { memberId: string; initial: ShownMember | null }) {
  const { terminal } = useTerminal();
  const { go, askManager } = useCounter();
  const program = useProgram();
  const status = useSyncStatus();
  const { shown: loaded, loading } = useMember(props.memberId);
  const shown = loaded ?? props.initial;
  const bound = useOfflineAllowance(shown);
  const now = useNow(60_000);
  // What a scan turned out to be shows in the counter's one message slot (use-transient-notice.ts).
  const toast = useToast();
  const t = useCounterText();

  useScanHandler((result) => {
    void scanOutcome(result, (n) => terminal.services.lookupCard(n)).then(async (outcome) => {
      switch (outcome.kind) {
        case 'member':
          go({ name: 'member', memberId: outcome.member.member.id, shown: outcome.member });
          return;
        case 'product': {
          for (const code of gtinCandidates(outcome)) {
            const product = await terminal.services.product(code);
            if (product) {
              go({ name: 'sale', memberId: props.memberId, firstLine: lineFromProduct(product, code) });
              return;
            }
          }
          toast.error(t('member.productUnknown', { code: outcome.gtin13 ?? outcome.gtin14 }));
          return;
        }
        case 'unknown-card':
          // Another customer's card: the idle screen offers what can be done with it (enroll, earn on it).
          go({
            name: 'idle',
            enrollCard: outcome.number,
            ...(outcome.earnOnCard ? { earnOnCard: true } : {}),
          });
          toast.error(outcome.message);
          return;
        case 'refused':
          toast.error(outcome.message);
          return;
        case 'notice':
          toast.info(outcome.message);
          return;
      }
    });
  });

  if (!shown)
    return (
      <ScreenLayout
        header={<h1>{loading ? t('member.loading') : t('member.notFound')}</h1>}
        actions={
          <ActionButton hotkey="Escape" onClick={() => go({ name: 'idle' })}>
            {t('member.done')}
          </ActionButton>
        }
      >
        {!loading ? <ErrorMessage>{t('member.notKnown')}</ErrorMessage> : null}
      </ScreenLayout>
    );

  const { member } = shown;
  const expired = !status.online && status.replica?.mode === 'expired';
  return (
    <ScreenLayout
      name="member"
      header={
        <>
          <div className="member-head">
            <h1>{member.displayName || t('member.member')}</h1>
            {shown.provisional ? <span className="badge">{t('member.provisional')}</span> : null}
            {member.status !== 'active' ? (
              <span className="badge badge-bad">{t(`member.accountBadge.${member.status}`)}</span>
            ) : null}
          </div>
          <p className="member-facts">{memberFacts(member, program?.timeZone ?? null)}</p>
        </>
      }
      actions={
        <>
          <ActionButton
            hotkey="F2"
            variant="primary"
            disabled={member.status !== 'active'}
            onClick={() => go({ name: 'sale', memberId: member.id })}
          >
            {t('member.newSale')}
          </ActionButton>
          <ActionButton
            hotkey="F3"
            disabled={member.status !== 'active'}
            onClick={() => go({ name: 'redeem', memberId: member.id })}
          >
            {t('member.redeem')}
          </ActionButton>
          <ActionButton hotkey="F4" onClick={() => go({ name: 'plans', memberId: member.id })}>
            {t('member.plans')}
          </ActionButton>
          <ActionButton hotkey="F9" variant="quiet" onClick={() => askManager(member.id)}>
            {t('member.manager')}
          </ActionButton>
          <ActionButton hotkey="Escape" onClick={() => go({ name: 'idle' })}>
            {t('member.done')}
          </ActionButton>
        </>
      }
    >
      {member.status !== 'active' ? (
        <ErrorMessage>{t(`member.accountStopped.${member.status}`)}</ErrorMessage>
      ) : null}
      <div className="member-grid">
        <div className="member-main">
          {program ? <TierProgressView member={member} program={program} now={now} /> : null}
          <BalancePanel
            shown={shown}
            offlineAllowance={bound?.allowanceLeft ?? null}
            expiringSoon={program ? expiringSoon(member, program, now, EXPIRING_SOON_DAYS) : 0}
          />
          <SlipSlot />
          {expired ? (
            <p className="hint hint-warn">{t('member.offlineTooLong')}</p>
          ) : bound ? (
            <p className="hint">{offlineLeftText(bound)}</p>
          ) : null}
          <MemberHistory memberId={member.id} />
        </div>
        {program ? (
          <RewardsOverview program={program} member={member} points={shown.balance.total} offline={bound} />
        ) : null}
      </div>
    </ScreenLayout>
  );
}

/** "Card …0016 · Phone …4567 · Member since Mar 2025": enough to confirm it is the right person. */
function memberFacts(member: Member, zone: string | null): string {
  const cards = member.cards.map((c) => i18n.t('member.facts.card', { card: maskedCard(c) }));
  return [
    ...(cards.length > 0 ? cards : [i18n.t('member.facts.noCard')]),
    member.phoneLast4 ? i18n.t('member.facts.phone', { last4: member.phoneLast4 }) : null,
    i18n.t('member.facts.since', { month: formatMonthYear(Date.parse(member.enrolledAt), zone) }),
  ]
    .filter(Boolean)
    .join(' · ');
}
