// The customer-facing display: what the customer in front of the counter reads while the cashier works
// (src-shared/ipc/customer-view.ts is all it ever knows). A welcome while nobody is served; then the
// member's first name and points, the basket as it is scanned with the points this purchase earns, the
// next reward within reach, and a thank-you once a sale, a reward or an enrollment is recorded. Nothing
// here takes input: no buttons, no fields, no PIN pad. It speaks the store's language: every view carries the
// locale the cashier's counter speaks, and the page speaks it from that view on (the same i18n module as the
// cashier's page, already in this bundle through hooks/format.ts: no second copy of the words).
import { useEffect, useState } from 'react';
import { Trans } from 'react-i18next';
import type { CustomerView } from '../../src-shared/ipc/customer-view.js';
import { formatPoints, moneyText, pointsText } from '../hooks/format.js';
import { speakLocale, useCounterText } from '../i18n/index.js';
import { languageOf } from '../../src-shared/kernel/locale.js';
import type { CustomerViewSource } from './source.js';

/** Basket lines shown: the latest ones, the rest counted above them. */
export const SHOWN_LINES = 8;

export function CustomerApp(props: { source: CustomerViewSource }) {
  const [view, setView] = useState<CustomerView | null>(null);
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    const offView = props.source.onView(speakingEachView(setView));
    const offConnection = props.source.onConnection(setConnected);
    return () => {
      offView();
      offConnection();
    };
  }, [props.source]);
  return <CustomerScreen view={view} connected={connected} />;
}

/**
 * Hands each view on once the page speaks its locale: the words, and the formats of money and points. The
 * resources are bundled, so the switch is done before React renders the view that asked for it.
 */
export function speakingEachView(listener: (view: CustomerView) => void): (view: CustomerView) => void {
  return (view) => {
    void speakLocale(view.locale);
    // For a screen reader's voice, and the browser's hyphenation and quotes.
    if (typeof document !== 'undefined') document.documentElement.lang = languageOf(view.locale);
    listener(view);
  };
}

/** What the customer sees for a view (null: nothing heard from the counter yet). */
export function CustomerScreen(props: { view: CustomerView | null; connected: boolean }) {
  const { view } = props;
  const t = useCounterText();
  const programName = view?.programName ?? null;
  return (
    <main className="customer" aria-label={t('customer.screen')}>
      <header className="customer-head">
        <p className="customer-program">{programName ?? t('customer.loyalty')}</p>
        {props.connected ? null : <span className="customer-offline" aria-hidden="true" />}
      </header>
      {view?.member ? <Served view={view} member={view.member} /> : <Welcome programName={programName} />}
    </main>
  );
}

function Welcome(props: { programName: string | null }) {
  const t = useCounterText();
  return (
    <section className="customer-welcome" aria-label={t('customer.welcome')}>
      <h1>
        {props.programName ? t('customer.welcomeTo', { program: props.programName }) : t('customer.welcome')}
      </h1>
      <p>{t('customer.showCard')}</p>
    </section>
  );
}

function Served(props: { view: CustomerView; member: NonNullable<CustomerView['member']> }) {
  const { view, member } = props;
  const t = useCounterText();
  const { sale, done } = view;
  const after = sale?.points !== null && sale?.points !== undefined ? member.balance + sale.points : null;
  return (
    <div className="customer-body">
      <section className="customer-member" aria-label={t('customer.yourPoints')}>
        <h1>
          {member.firstName ? t('customer.helloName', { name: member.firstName }) : t('customer.hello')}
        </h1>
        <p className="customer-balance">
          <span className="customer-label">{t('customer.yourPoints')}</span>
          <strong>{formatPoints(member.balance)}</strong>
        </p>
        {done ? <Thanks done={done} /> : null}
        {member.nextReward ? <NextReward reward={member.nextReward} /> : null}
      </section>
      {sale ? (
        <section className="customer-sale" aria-label={t('customer.yourPurchase')}>
          <h2>{t('customer.yourPurchase')}</h2>
          {sale.lines.length > SHOWN_LINES ? (
            <p className="customer-more">{t('customer.more', { count: sale.lines.length - SHOWN_LINES })}</p>
          ) : null}
          <ul className="customer-lines" aria-label={t('customer.basket')}>
            {sale.lines.slice(-SHOWN_LINES).map((line, i) => (
              <li key={i} className="customer-line">
                <span className="customer-line-name">{line.name}</span>
                <span className="customer-line-qty">{line.quantity > 1 ? `× ${line.quantity}` : ''}</span>
                <span className="customer-line-total">{moneyText(line.total, sale.currency)}</span>
              </li>
            ))}
          </ul>
          {sale.lines.length === 0 ? <p className="customer-empty">{t('customer.nothingYet')}</p> : null}
          <p className="customer-total">
            <span>{t('customer.total')}</span>
            <strong>{moneyText(sale.total, sale.currency)}</strong>
          </p>
          <p className="customer-earn" aria-label={t('customer.earnsLabel')}>
            {sale.points === null ? (
              t('customer.counting')
            ) : (
              <>
                <Trans
                  i18nKey="customer.earns"
                  components={{ points: <strong>{pointsText(sale.points)}</strong> }}
                />
                {after !== null ? (
                  <span className="customer-after">{t('customer.then', { points: pointsText(after) })}</span>
                ) : null}
              </>
            )}
          </p>
        </section>
      ) : null}
    </div>
  );
}

function Thanks(props: { done: NonNullable<CustomerView['done']> }) {
  const { done } = props;
  const t = useCounterText();
  const text =
    done.kind === 'earn'
      ? t('customer.earned', { points: pointsText(done.points) })
      : done.kind === 'redeem'
        ? done.reward
          ? t('customer.enjoyReward', { reward: done.reward })
          : t('customer.enjoy')
        : done.points > 0
          ? t('customer.aboardPoints', { points: pointsText(done.points) })
          : t('customer.aboard');
  return (
    <p className="customer-thanks" role="status">
      {text}
    </p>
  );
}

function NextReward(props: { reward: NonNullable<NonNullable<CustomerView['member']>['nextReward']> }) {
  const { reward } = props;
  const t = useCounterText();
  // The reward's name is the <reward/> component's own child: never parsed as markup, whatever HQ named it.
  return (
    <p className="customer-next" aria-label={t('customer.nextReward')}>
      {reward.missing > 0 ? (
        <Trans
          i18nKey="customer.toGo"
          components={{
            points: <strong>{pointsText(reward.missing)}</strong>,
            reward: <strong>{reward.label}</strong>,
          }}
        />
      ) : (
        <Trans
          i18nKey="customer.canHave"
          components={{
            reward: <strong>{reward.label}</strong>,
            cost: <span>{pointsText(reward.cost)}</span>,
          }}
        />
      )}
    </p>
  );
}
