// Waiting for the next customer: scan their card (serial reader or keyboard-wedge scanner), or type a
// phone number or the start of a name (on a keyboard, or on the on-screen keypad). A payment card swiped by
// mistake is refused in plain words; every scan is answered in the counter's message slot. A card nobody holds
// here offers to enroll with it; with HQ out of reach, also to add the sale's points to the card
// (src-shared/ledger/card-earn.ts), since it may be a member of another store.
import { useId, useState, type FormEvent } from 'react';
import { ActionButton } from '../components/action-button.js';
import { Keypad, KeypadToggle, useKeypadShown } from '../components/keypad.js';
import { MemberResult } from '../components/member-card.js';
import { ErrorMessage } from '../components/messages.js';
import { cardEarnMemberId } from '../../src-shared/ledger/card-earn.js';
import { ScreenLayout } from '../components/screen-layout.js';
import type { ShownMember } from '../services/index.js';
import { searchKind } from '../hooks/format.js';
import { scanOutcome } from '../hooks/scan-outcome.js';
import { useCounter } from '../hooks/use-counter.js';
import { useToast } from '../hooks/use-transient-notice.js';
import { useScanHandler } from '../hooks/use-scans.js';
import { useProgram } from '../hooks/use-program.js';
import { useTerminal } from '../hooks/use-terminal.js';
import { useCounterText } from '../i18n/index.js';

/** Members listed for a name search; one more is asked for to know whether the list is cut. */
const NAME_RESULTS = 20;

export function IdleScreen(props: { enrollCard?: string; earnOnCard?: boolean }) {
  const { terminal } = useTerminal();
  const { go, askManager } = useCounter();
  const services = terminal.services;
  const program = useProgram();
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<ShownMember[] | null>(null);
  const [more, setMore] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const toast = useToast();
  const t = useCounterText();
  const [keypad, toggleKeypad] = useKeypadShown();
  const keypadId = useId();
  const [unknownCard, setUnknownCard] = useState<string | null>(props.enrollCard ?? null);
  // The placeholder an earn on the unknown card is recorded under, when HQ could not be asked about it.
  const [earnCard, setEarnCard] = useState<string | null>(
    props.enrollCard && props.earnOnCard ? cardEarnMemberId(props.enrollCard) : null,
  );
  const [busy, setBusy] = useState(false);

  const open = (shown: ShownMember) => go({ name: 'member', memberId: shown.member.id, shown });

  useScanHandler((result) => {
    void scanOutcome(result, (n) => services.lookupCard(n)).then((outcome) => {
      if (outcome.kind !== 'notice' && outcome.kind !== 'product') setEarnCard(null);
      switch (outcome.kind) {
        case 'member':
          open(outcome.member);
          return;
        case 'unknown-card':
          setResults(null);
          setUnknownCard(outcome.number);
          setEarnCard(outcome.earnOnCard ? cardEarnMemberId(outcome.number) : null);
          toast.error(outcome.message);
          return;
        case 'refused':
          setResults(null);
          setUnknownCard(null);
          toast.error(outcome.message);
          return;
        case 'product':
          toast.info(t('idle.productFirst'));
          return;
        case 'notice':
          toast.info(outcome.message);
          return;
      }
    });
  });

  const find = async (event: FormEvent) => {
    event.preventDefault();
    const text = query.trim();
    setError(null);
    setResults(null);
    setMore(false);
    const kind = searchKind(text);
    if (kind === 'empty') {
      setError(t('idle.typeSomething'));
      return;
    }
    setBusy(true);
    try {
      if (kind === 'phone') {
        // A long number typed by hand may be the card's number rather than a phone.
        if (/^\d{8,}$/.test(text)) {
          const byCard = await services.lookupByCard(text);
          if (byCard) return open(byCard);
        }
        const found = await services.lookupByPhone(text);
        if (!found.ok) {
          setError(t('idle.notAPhone'));
          return;
        }
        if (found.value.length === 1) return open(found.value[0]!);
        if (found.value.length === 0) {
          setError(t('idle.noPhoneMatch'));
          return;
        }
        setResults(found.value);
        return;
      }
      const found = await services.lookupByName(text, NAME_RESULTS + 1);
      if (found.length === 0) {
        setError(t('idle.noNameMatch', { text }));
        return;
      }
      setMore(found.length > NAME_RESULTS);
      setResults(found.slice(0, NAME_RESULTS));
    } finally {
      setBusy(false);
    }
  };

  return (
    <ScreenLayout
      name="idle"
      header={<h1>{t('idle.title')}</h1>}
      actions={
        <>
          {earnCard ? (
            <ActionButton
              hotkey="F2"
              variant="primary"
              onClick={() => go({ name: 'sale', memberId: earnCard })}
            >
              {t('idle.earnOnCard')}
            </ActionButton>
          ) : null}
          <ActionButton
            hotkey="F4"
            onClick={() => go({ name: 'enroll', ...(unknownCard ? { card: unknownCard } : {}) })}
          >
            {t('idle.enroll')}
          </ActionButton>
          <ActionButton hotkey="F9" variant="quiet" onClick={() => askManager(null)}>
            {t('idle.manager')}
          </ActionButton>
        </>
      }
    >
      <form className="search" onSubmit={(e) => void find(e)} noValidate>
        <label htmlFor="member-search">{t('idle.search')}</label>
        <div className="search-row">
          <input
            id="member-search"
            // Ready to type at once; a keyboard-wedge scan's keys are kept out of it (use-scans).
            autoFocus
            type="text"
            autoComplete="off"
            spellCheck={false}
            value={query}
            onChange={(e) => setQuery(e.target.value)}
          />
          <ActionButton type="submit" variant="primary" disabled={busy}>
            {t('idle.find')}
          </ActionButton>
          <KeypadToggle shown={keypad} onToggle={toggleKeypad} controls={keypadId} />
        </div>
        {keypad ? (
          <Keypad
            id={keypadId}
            label={t('common.keypad.phone')}
            value={query}
            onChange={setQuery}
            extraKey="+"
          />
        ) : null}
      </form>
      {error ? <ErrorMessage>{error}</ErrorMessage> : null}
      {!results && !error ? (
        <ul className="how-to" aria-label={t('idle.ways')}>
          <li>{t('idle.wayCard')}</li>
          <li>{t('idle.wayPhone')}</li>
          <li>{t('idle.wayName')}</li>
        </ul>
      ) : null}
      {results ? (
        <section aria-label={t('idle.results')} className="results">
          <h2>
            {more ? t('idle.tooMany', { limit: NAME_RESULTS }) : t('idle.found', { count: results.length })}
          </h2>
          <ul className="result-list">
            {results.map((shown) => (
              <li key={shown.member.id}>
                <MemberResult shown={shown} onOpen={() => open(shown)} timeZone={program?.timeZone ?? null} />
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </ScreenLayout>
  );
}
