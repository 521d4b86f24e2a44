// Paid plans and action bonuses for the member at the counter. Each plan shows its fee, duration, join
// bonus and perks, and the member's current plan its end; each action its points and how much of its limit
// the member has used this period. A tap never records at once: a sheet says what will happen (for a plan,
// that the fee is taken at the till's own payment: we record the membership, not the payment), and only
// its confirm records. The shared rules (checkPlanSale, checkAction) answer before the sheet opens and
// again inside the ledger's lock as the event is recorded; HQ checks it all a third time.
import { useState } from 'react';
import { actionStanding, checkAction, type ActionStanding } from '../../src-shared/engine/actions.js';
import { activePlan, checkPlanSale } from '../../src-shared/engine/plans.js';
import type { Member } from '../../src-shared/ledger/member.js';
import type { Plan, Program } from '../../src-shared/program/schema.js';
import { ActionButton } from '../components/action-button.js';
import { ConfirmDialog } from '../components/confirm-dialog.js';
import { ErrorMessage } from '../components/messages.js';
import { ScreenLayout } from '../components/screen-layout.js';
import { moneyText, pointsText, signedPointsText } from '../hooks/format.js';
import { useCounter } from '../hooks/use-counter.js';
import { useMember } from '../hooks/use-member.js';
import { useNow } from '../hooks/use-now.js';
import { useProgram } from '../hooks/use-program.js';
import { useScanHandler } from '../hooks/use-scans.js';
import { useSession } from '../hooks/use-session.js';
import { useTerminal } from '../hooks/use-terminal.js';
import { planDayText } from '../services/plans.js';
import { i18n, useCounterText } from '../i18n/index.js';
import { refusalText, ruleRefusal } from '../i18n/refusals.js';

/** "1 year", "30 days". */
export function durationText(days: number): string {
  if (days % 365 === 0) return i18n.t('plansActions.years', { count: days / 365 });
  return i18n.t('plansActions.days', { count: days });
}

/** The member's plan in words: "Readers Plus until 11 Mar 2027", or that there is none now. */
export function currentPlanText(member: Pick<Member, 'plan'>, program: Program, now: number): string {
  const plan = activePlan(member, program, now);
  if (!plan || !member.plan) return i18n.t('plansActions.noPlan');
  return i18n.t('plansActions.planUntil', {
    plan: plan.label,
    day: planDayText(Date.parse(member.plan.until), program.timeZone),
  });
}

/** "1 of 2 used today", "Limit reached: 1 of 1 in total". */
export function standingText(standing: ActionStanding): string {
  // The period in the counter's language, from the action's own limit (the engine's periodWords are English).
  const values = {
    used: standing.used,
    count: standing.action.limit.count,
    period: i18n.t(`plansActions.periods.${standing.action.limit.period}`),
  };
  return i18n.t(standing.left === 0 ? 'plansActions.limitReached' : 'plansActions.used', values);
}

/** One plan: what it costs, what it gives, and whether the member holds it now. */
export function PlanCard(props: {
  plan: Plan;
  program: Program;
  member: Pick<Member, 'plan'>;
  now: number;
  disabled?: boolean;
  onSell: (plan: Plan) => void;
}) {
  const { plan, program, member, now } = props;
  const held = activePlan(member, program, now)?.id === plan.id && member.plan;
  const fee = moneyText(plan.fee, program.currency);
  const t = useCounterText();
  return (
    <li className="plan-card">
      <button
        type="button"
        className={held ? 'reward-button plan-button plan-held' : 'reward-button plan-button'}
        disabled={props.disabled}
        aria-label={t('plansActions.sell', { plan: plan.label, fee })}
        onClick={() => props.onSell(plan)}
      >
        <span className="reward-button-label">{plan.label}</span>
        <span className="reward-button-cost">
          {fee} · {durationText(plan.durationDays)}
        </span>
        <span className="reward-button-state">
          {plan.joinBonus > 0
            ? t('plansActions.joinBonus', { points: pointsText(plan.joinBonus) })
            : t('plansActions.noJoinBonus')}
          {plan.multiplier !== 1 ? ` · ${t('plansActions.multiplier', { multiplier: plan.multiplier })}` : ''}
        </span>
        {held ? (
          <span className="reward-button-state">
            {t('plansActions.currentUntil', {
              day: planDayText(Date.parse(held.until), program.timeZone),
            })}
          </span>
        ) : null}
      </button>
      {plan.perks.length > 0 ? (
        <ul className="plan-perks" aria-label={t('plansActions.perks', { plan: plan.label })}>
          {plan.perks.map((perk) => (
            <li key={perk}>{perk}</li>
          ))}
        </ul>
      ) : null}
    </li>
  );
}

/** One action: its points and the member's use of its limit this period. */
export function ActionCard(props: {
  standing: ActionStanding;
  disabled?: boolean;
  onAward: (standing: ActionStanding) => void;
}) {
  const { action } = props.standing;
  const t = useCounterText();
  return (
    <li>
      <button
        type="button"
        className={
          props.standing.left > 0
            ? 'reward-button reward-affordable action-button'
            : 'reward-button action-button'
        }
        disabled={props.disabled}
        aria-label={t('plansActions.award', { action: action.label, points: pointsText(action.points) })}
        onClick={() => props.onAward(props.standing)}
      >
        <span className="reward-button-label">{action.label}</span>
        <span className="reward-button-cost">{signedPointsText(action.points)}</span>
        <span className="reward-button-state">{standingText(props.standing)}</span>
      </button>
    </li>
  );
}

type Asking = { kind: 'plan'; plan: Plan; until: string } | { kind: 'action'; standing: ActionStanding };

export function PlansActionsScreen(props: { memberId: string }) {
  const { terminal } = useTerminal();
  const { cashier } = useSession();
  const { go } = useCounter();
  const program = useProgram();
  const { shown } = useMember(props.memberId);
  const now = useNow(30_000);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [asking, setAsking] = useState<Asking | null>(null);
  const t = useCounterText();

  useScanHandler(() => setError(t('plansActions.scanBlocked')));

  const back = (message?: string) =>
    go(
      { name: 'member', memberId: props.memberId },
      message ? { kind: 'success', text: message } : undefined,
    );

  /** A tapped plan: refused at once with the reason, or the sheet. */
  const askPlan = (plan: Plan) => {
    if (!shown || !program) return;
    setError(null);
    const day = (at: number) => planDayText(at, program.timeZone);
    const checked = checkPlanSale(shown.member, plan.id, program, Date.now(), day);
    if (checked.ok) setAsking({ kind: 'plan', plan, until: checked.value.until });
    else setError(refusalText(ruleRefusal('plan', checked.error, { timeZone: program.timeZone })));
  };

  const askAction = (standing: ActionStanding) => {
    if (!shown || !program) return;
    setError(null);
    const checked = checkAction(shown.member, standing.action.id, program, Date.now());
    if (checked.ok) setAsking({ kind: 'action', standing });
    else setError(refusalText(ruleRefusal('action', checked.error)));
  };

  /** Records what the sheet confirmed (checked again inside the ledger's lock), then back to the member. */
  const record = async (what: Asking) => {
    if (!cashier || busy) return;
    setBusy(true);
    setError(null);
    try {
      const base = { cashierId: cashier.id, memberId: props.memberId };
      if (what.kind === 'plan') {
        const sold = await terminal.services.recordPlanJoin({ ...base, planId: what.plan.id });
        if (!sold.ok) return setError(refusalText(sold.error));
        const until = planDayText(Date.parse(sold.value.event.payload.until), program?.timeZone ?? 'UTC');
        const recorded = { plan: what.plan.label, until };
        back(
          what.plan.joinBonus > 0
            ? t('plansActions.planRecordedBonus', {
                ...recorded,
                bonus: signedPointsText(what.plan.joinBonus),
              })
            : t('plansActions.planRecorded', recorded),
        );
      } else {
        const awarded = await terminal.services.recordAction({ ...base, actionId: what.standing.action.id });
        if (!awarded.ok) return setError(refusalText(awarded.error));
        back(
          t('plansActions.actionAwarded', {
            action: what.standing.action.label,
            points: signedPointsText(awarded.value.event.payload.points),
          }),
        );
      }
    } finally {
      setBusy(false);
    }
  };

  const member = shown?.member ?? null;
  const points = shown?.balance.total ?? 0;
  const plans = program?.plans ?? [];
  const standings =
    member && program ? program.actions.map((a) => actionStanding(member, a, program.timeZone, now)) : [];
  const inactive = member !== null && member.status !== 'active';
  return (
    <>
      <ScreenLayout
        name="plans-actions"
        inert={asking !== null}
        header={
          <>
            <h1>{t('plansActions.title')}</h1>
            <p className="lead">
              {member && program
                ? `${member.displayName} · ${pointsText(points)} · ${currentPlanText(member, program, now)}`
                : ''}
            </p>
          </>
        }
        actions={
          <ActionButton hotkey="Escape" onClick={() => back()}>
            {t('plansActions.back')}
          </ActionButton>
        }
      >
        {error ? <ErrorMessage>{error}</ErrorMessage> : null}
        {inactive ? (
          <ErrorMessage>
            {t('plansActions.inactive', { status: t(`plansActions.memberStatuses.${member.status}`) })}
          </ErrorMessage>
        ) : null}
        <div className="plans-actions-grid">
          <section className="panel" aria-labelledby="plans-title">
            <h2 id="plans-title" className="section-title">
              {t('plansActions.plansTitle')}
            </h2>
            {plans.length === 0 ? <p className="hint">{t('plansActions.noPlans')}</p> : null}
            {plans.length > 0 ? <p className="hint">{t('plansActions.feeHint')}</p> : null}
            <ul className="reward-grid plan-list" aria-label={t('plansActions.plansTitle')}>
              {member && program
                ? plans.map((plan) => (
                    <PlanCard
                      key={plan.id}
                      plan={plan}
                      program={program}
                      member={member}
                      now={now}
                      disabled={busy || inactive}
                      onSell={askPlan}
                    />
                  ))
                : null}
            </ul>
          </section>
          <section className="panel" aria-labelledby="actions-title">
            <h2 id="actions-title" className="section-title">
              {t('plansActions.actionsTitle')}
            </h2>
            {standings.length === 0 ? <p className="hint">{t('plansActions.noActions')}</p> : null}
            <ul className="reward-grid" aria-label={t('plansActions.actionsTitle')}>
              {standings.map((standing) => (
                <ActionCard
                  key={standing.action.id}
                  standing={standing}
                  disabled={busy || inactive}
                  onAward={askAction}
                />
              ))}
            </ul>
          </section>
        </div>
      </ScreenLayout>
      {asking?.kind === 'plan' && program ? (
        <ConfirmDialog
          title={t('plansActions.sellTitle')}
          confirmLabel={t('plansActions.recordPlan')}
          busy={busy}
          onCancel={() => setAsking(null)}
          onConfirm={() => {
            setAsking(null);
            void record(asking);
          }}
        >
          <dl className="facts">
            <dt>{t('plansActions.planFacts.plan')}</dt>
            <dd>{asking.plan.label}</dd>
            <dt>{t('plansActions.planFacts.fee')}</dt>
            <dd>{moneyText(asking.plan.fee, program.currency)}</dd>
            <dt>{t('plansActions.planFacts.runsUntil')}</dt>
            <dd>{planDayText(Date.parse(asking.until), program.timeZone)}</dd>
            <dt>{t('plansActions.planFacts.joinBonus')}</dt>
            <dd>{pointsText(asking.plan.joinBonus)}</dd>
          </dl>
          <p className="hint hint-warn">
            {t('plansActions.takeFee', { fee: moneyText(asking.plan.fee, program.currency) })}
          </p>
        </ConfirmDialog>
      ) : null}
      {asking?.kind === 'action' ? (
        <ConfirmDialog
          title={t('plansActions.awardTitle')}
          confirmLabel={t('plansActions.awardConfirm')}
          busy={busy}
          onCancel={() => setAsking(null)}
          onConfirm={() => {
            setAsking(null);
            void record(asking);
          }}
        >
          <dl className="facts">
            <dt>{t('plansActions.actionFacts.action')}</dt>
            <dd>{asking.standing.action.label}</dd>
            <dt>{t('plansActions.actionFacts.points')}</dt>
            <dd>{signedPointsText(asking.standing.action.points)}</dd>
            <dt>{t('plansActions.actionFacts.limit')}</dt>
            <dd>{standingText(asking.standing)}</dd>
            <dt>{t('plansActions.actionFacts.balanceAfter')}</dt>
            <dd>{pointsText(points + asking.standing.action.points)}</dd>
          </dl>
        </ConfirmDialog>
      ) : null}
    </>
  );
}
