// The member page's action forms, one card each: adjust points (within the user's cap), block a lost card
// and link its replacement, merge another member into this one, the GDPR export (downloaded as a JSON file)
// and erasure (confirmed by typing ERASE). Every one asks why (the audit log keeps it), shows HQ's refusal
// in its own words, and reloads the member once done.
import { useState, type FormEvent, type ReactNode } from 'react';
import { MAX_POINTS } from '../../../src-shared/kernel/points.js';
import { adjustmentReasons } from '../../../src-shared/ledger/events.js';
import { ERASE_CONFIRMATION, membersEndpoints } from '../../../src-shared/console/members.js';
import { ConfirmDialog } from '../../components/confirm-dialog.js';
import { SelectField, TextField } from '../../components/field.js';
import { formatPoints } from '../../components/format.js';
import { useConsoleWrite } from '../../components/use-console-write.js';

type ReasonCode = (typeof adjustmentReasons)[number];
const REASON_OPTIONS = adjustmentReasons.map((value) => ({ value, label: value }));

/** One action's state: its write, the reason typed, and what it said once done. */
function useAction() {
  const write = useConsoleWrite();
  const [reason, setReason] = useState('');
  const [done, setDone] = useState<string | null>(null);
  /** Runs the action; on success says `said(result)`, clears the reason and calls `after`. */
  const act = async <R,>(run: () => Promise<R | null>, said: (result: R) => string, after: () => void) => {
    setDone(null);
    const result = await run();
    if (result === null) return;
    setDone(said(result));
    setReason('');
    after();
  };
  return { write, reason, setReason, done, act };
}

function ActionCard({
  id,
  title,
  action,
  reasonHint,
  children,
  onSubmit,
  submitLabel,
}: {
  id: string;
  title: string;
  action: ReturnType<typeof useAction>;
  reasonHint: string;
  children: ReactNode;
  onSubmit: () => Promise<void>;
  submitLabel: string;
}) {
  const { write, done } = action;
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    void onSubmit();
  };
  return (
    <section className="card" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <form className="form" onSubmit={submit} noValidate>
        {write.error && (
          <p className="form-error" role="alert">
            {write.error}
          </p>
        )}
        {done && (
          <p className="notice" role="status">
            {done}
          </p>
        )}
        {children}
        <TextField
          label="Reason"
          value={action.reason}
          onChange={action.setReason}
          hint={reasonHint}
          error={write.problems.reason}
        />
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={write.busy}>
            {submitLabel}
          </button>
        </div>
      </form>
    </section>
  );
}

export function AdjustCard({ memberId, cap, onDone }: { memberId: string; cap: number; onDone: () => void }) {
  const [points, setPoints] = useState('');
  const [reasonCode, setReasonCode] = useState<ReasonCode>('goodwill');
  const action = useAction();
  const submit = () =>
    action.act(
      () =>
        action.write.run(membersEndpoints.adjustPoints, {
          params: { id: memberId },
          body: { points: Number(points.trim() || 'NaN'), reasonCode, reason: action.reason.trim() },
        }),
      (made) => `Adjusted: the balance is ${formatPoints(made.balance)}.`,
      () => {
        setPoints('');
        onDone();
      },
    );
  return (
    <ActionCard
      id="adjust-title"
      title="Adjust points"
      action={action}
      reasonHint="Required. Kept with the event and in the audit log."
      onSubmit={submit}
      submitLabel="Adjust"
    >
      <TextField
        label="Points"
        type="number"
        value={points}
        onChange={setPoints}
        hint={`Negative to take points off. ${cap >= MAX_POINTS ? 'An administrator has no cap.' : `You may credit up to ${formatPoints(cap)}.`}`}
        error={action.write.problems.points}
      />
      <SelectField label="Reason code" value={reasonCode} onChange={setReasonCode} options={REASON_OPTIONS} />
    </ActionCard>
  );
}

export function ReplaceCardCard({
  memberId,
  cards,
  onDone,
}: {
  memberId: string;
  cards: readonly string[];
  onDone: () => void;
}) {
  const [lostCard, setLostCard] = useState(cards[0] ?? '');
  const [newCard, setNewCard] = useState('');
  const action = useAction();
  if (cards.length === 0) return null;
  const submit = () =>
    action.act(
      () =>
        action.write.run(membersEndpoints.replaceCard, {
          params: { id: memberId },
          body: { lostCard, newCard: newCard.trim(), reason: action.reason.trim() },
        }),
      () => `Card ${lostCard} is blocked; ${newCard.trim()} is linked.`,
      () => {
        setNewCard('');
        onDone();
      },
    );
  return (
    <ActionCard
      id="replace-title"
      title="Block a lost card and link a new one"
      action={action}
      reasonHint="Required."
      onSubmit={submit}
      submitLabel="Block and replace"
    >
      <SelectField
        label="Lost card"
        value={lostCard}
        onChange={setLostCard}
        options={cards.map((c) => ({ value: c, label: c }))}
      />
      <TextField
        label="New card number"
        value={newCard}
        onChange={setNewCard}
        hint="A loyalty card: payment cards are refused."
        error={action.write.problems.newCard}
        autoComplete="off"
      />
    </ActionCard>
  );
}

export function MergeCard({
  memberId,
  suggested,
  onDone,
}: {
  memberId: string;
  /** A member to merge (again), filled in. */
  suggested: string;
  onDone: () => void;
}) {
  const [mergedId, setMergedId] = useState(suggested);
  const action = useAction();
  const submit = () =>
    action.act(
      () =>
        action.write.run(membersEndpoints.mergeMembers, {
          params: { id: memberId },
          body: { mergedId: mergedId.trim(), reason: action.reason.trim() },
        }),
      (made) =>
        `Merged member ${made.merged}: ${formatPoints(made.movedPoints)} and ${made.cards} card(s) moved here.`,
      () => {
        setMergedId('');
        onDone();
      },
    );
  return (
    <ActionCard
      id="merge-title"
      title="Merge another member into this one"
      action={action}
      reasonHint="Required."
      onSubmit={submit}
      submitLabel="Merge"
    >
      <TextField
        label="Member id to merge"
        value={mergedId}
        onChange={setMergedId}
        hint="Its cards, points and history move here; it is closed."
        error={action.write.problems.mergedId}
      />
    </ActionCard>
  );
}

/** Saves a JSON document as a file, through a link the browser downloads. */
function download(name: string, document: unknown): void {
  const url = URL.createObjectURL(
    new Blob([JSON.stringify(document, null, 2)], { type: 'application/json' }),
  );
  const link = window.document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  URL.revokeObjectURL(url);
}

export function ExportCard({ memberId }: { memberId: string }) {
  const action = useAction();
  const submit = () =>
    action.act(
      () =>
        action.write.run(membersEndpoints.exportMember, {
          params: { id: memberId },
          body: action.reason.trim() ? { reason: action.reason.trim() } : {},
        }),
      (document) => {
        download(`member-${memberId}.json`, document);
        return 'The export was downloaded.';
      },
      () => undefined,
    );
  return (
    <ActionCard
      id="export-title"
      title="Export (GDPR)"
      action={action}
      reasonHint="E.g. the request’s reference."
      onSubmit={submit}
      submitLabel="Download export"
    >
      <p>Every personal field, card, event and consent HQ holds for this member, as a JSON file.</p>
    </ActionCard>
  );
}

export function EraseCard({
  memberId,
  name,
  onDone,
}: {
  memberId: string;
  name: string;
  onDone: () => void;
}) {
  const [asking, setAsking] = useState(false);
  const [typed, setTyped] = useState('');
  const [reason, setReason] = useState('');
  const write = useConsoleWrite();
  const confirm = async (): Promise<void> => {
    if (typed !== ERASE_CONFIRMATION) return;
    const erased = await write.run(membersEndpoints.eraseMember, {
      params: { id: memberId },
      body: { confirm: ERASE_CONFIRMATION, reason: reason.trim() },
    });
    if (erased) {
      setAsking(false);
      onDone();
    }
  };
  return (
    <section className="card" aria-labelledby="erase-title">
      <h2 id="erase-title">Erase (GDPR)</h2>
      <p>
        Removes this member’s personal data at HQ and on every terminal. Points and events are kept under a
        pseudonym. This cannot be undone.
      </p>
      <button
        type="button"
        className="button button-danger"
        onClick={() => {
          write.reset();
          setTyped('');
          setAsking(true);
        }}
      >
        Erase member
      </button>
      <ConfirmDialog
        open={asking}
        title={`Erase ${name}?`}
        confirmLabel="Erase"
        danger
        busy={write.busy}
        error={
          write.error ??
          (typed && typed !== ERASE_CONFIRMATION ? `Type ${ERASE_CONFIRMATION} to confirm.` : null)
        }
        onConfirm={() => void confirm()}
        onCancel={() => setAsking(false)}
      >
        <TextField
          label={`Type ${ERASE_CONFIRMATION} to confirm`}
          value={typed}
          onChange={setTyped}
          autoComplete="off"
        />
        <TextField
          label="Reason"
          value={reason}
          onChange={setReason}
          hint="Required. Kept in the audit log."
          error={write.problems.reason}
        />
      </ConfirmDialog>
    </section>
  );
}
