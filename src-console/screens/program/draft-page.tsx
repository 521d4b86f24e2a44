// One draft: its problems by path (fix and save again), and once it is valid what it changes from the
// current version, a basket simulated under both, and publishing it now or at a set time (cancellable
// until it runs). Reading roles see it all; program managers and admins change and publish.
import { useState, type FormEvent } from 'react';
import { roleMayCall } from '../../../src-shared/console/endpoint.js';
import { programEndpoints, type ProgramDraft } from '../../../src-shared/console/program.js';
import { ConfirmDialog } from '../../components/confirm-dialog.js';
import { Field } from '../../components/field.js';
import { formatDateTime } from '../../components/format.js';
import { Link } from '../../components/link.js';
import { PageHeader } from '../../components/page-header.js';
import { Loaded } from '../../components/states.js';
import { useConsoleQuery } from '../../components/use-console-query.js';
import { useConsoleWrite } from '../../components/use-console-write.js';
import type { PageProps } from '../../page.js';
import { ChangeList } from './change-list.js';
import { DraftUpload } from './draft-upload.js';
import { SimulateForm } from './simulate-form.js';

/** The tiers a draft document names (for the simulation's tier choice). */
function tiersOf(document: unknown): { id: string; label: string }[] {
  const levels = (document as { tiers?: { levels?: unknown } } | null)?.tiers?.levels;
  if (!Array.isArray(levels)) return [];
  return levels.flatMap((level: unknown) => {
    const { id, label } = (level ?? {}) as { id?: unknown; label?: unknown };
    return typeof id === 'string' ? [{ id, label: typeof label === 'string' ? label : id }] : [];
  });
}

function Problems({ draft }: { draft: ProgramDraft }) {
  return (
    <div className="state state-error" role="alert">
      <p>
        This draft has {draft.problems.length} {draft.problems.length === 1 ? 'problem' : 'problems'}: fix{' '}
        {draft.problems.length === 1 ? 'it' : 'them'} before it can be simulated or published.
      </p>
      <ul aria-label="Problems by path">
        {draft.problems.map((p) => (
          <li key={`${p.path}:${p.message}`}>
            <code>{p.path || '(document)'}</code>: {p.message}
          </li>
        ))}
      </ul>
    </div>
  );
}

function DraftDiff({ id }: { id: number }) {
  const diff = useConsoleQuery(programEndpoints.programDiff, { query: { draft: id } }, [id]);
  return (
    <Loaded query={diff}>
      {(d) => (
        <ChangeList
          caption={`From current version ${d.from.version} to this draft (version ${d.to.version})`}
          changes={d.changes}
        />
      )}
    </Loaded>
  );
}

/** The browser's local date-time input as an instant with its offset. */
const instantOf = (local: string): string => new Date(local).toISOString();

function Publish({ draft, onDone }: { draft: ProgramDraft; onDone: () => void }) {
  const write = useConsoleWrite();
  const [confirming, setConfirming] = useState(false);
  const [at, setAt] = useState('');
  const [reason, setReason] = useState('');
  const [done, setDone] = useState<string | null>(null);

  const publish = async (when?: string): Promise<void> => {
    const answer = await write.run(programEndpoints.publishProgramDraft, {
      params: { id: draft.id },
      body: { ...(when ? { at: instantOf(when) } : {}), ...(reason.trim() ? { reason: reason.trim() } : {}) },
    });
    setConfirming(false);
    if (answer) {
      setDone(
        answer.status === 'published'
          ? `Version ${answer.version} is published: it is the current version now.`
          : `Version ${answer.version} will be published at ${formatDateTime(answer.publishAt)}.`,
      );
      onDone();
    }
  };
  const cancel = async (id: number): Promise<void> => {
    if (await write.run(programEndpoints.cancelProgramPublication, { params: { id }, body: {} })) {
      setDone('The scheduled publication is cancelled.');
      onDone();
    }
  };
  const schedule = (event: FormEvent): void => {
    event.preventDefault();
    void publish(at);
  };

  return (
    <>
      {done && (
        <p className="notice" role="status">
          {done}
        </p>
      )}
      {write.error && (
        <p className="form-error" role="alert">
          {write.error}
        </p>
      )}
      {draft.scheduled ? (
        <p>
          Scheduled for{' '}
          <time dateTime={draft.scheduled.publishAt}>{formatDateTime(draft.scheduled.publishAt)}</time> by{' '}
          {draft.scheduled.requestedBy}.{' '}
          <button
            type="button"
            className="button button-small"
            disabled={write.busy}
            onClick={() => void cancel(draft.scheduled!.id)}
          >
            Cancel the publication
          </button>
        </p>
      ) : (
        <form className="form" onSubmit={schedule} aria-label="Publish this draft">
          <Field label="Why (for the audit log)">
            {(control) => (
              <input
                {...control}
                value={reason}
                maxLength={500}
                onChange={(e) => setReason(e.target.value)}
              />
            )}
          </Field>
          <div className="form-actions">
            <button
              type="button"
              className="button button-primary"
              disabled={write.busy}
              onClick={() => setConfirming(true)}
            >
              Publish now
            </button>
          </div>
          <Field label="Publish at" hint="Your local date and time">
            {(control) => (
              <input {...control} type="datetime-local" value={at} onChange={(e) => setAt(e.target.value)} />
            )}
          </Field>
          <div className="form-actions">
            <button type="submit" className="button" disabled={write.busy || at === ''}>
              Schedule
            </button>
          </div>
        </form>
      )}
      <ConfirmDialog
        open={confirming}
        title={`Publish version ${draft.version ?? ''} now?`}
        confirmLabel="Publish now"
        busy={write.busy}
        onConfirm={() => void publish()}
        onCancel={() => setConfirming(false)}
      >
        <p>It becomes the current version at once: every terminal quotes with it as soon as it pulls it.</p>
      </ConfirmDialog>
    </>
  );
}

export function DraftPage({ params, user }: PageProps) {
  const id = Number(params.id);
  const draft = useConsoleQuery(programEndpoints.programDraft, { params: { id } }, [id]);
  const mayChange = roleMayCall(programEndpoints.replaceProgramDraft, user.role);
  return (
    <>
      <PageHeader
        title={`Draft #${params.id ?? ''}`}
        actions={
          <Link to="program" className="button">
            Back to the program
          </Link>
        }
      />
      <Loaded query={draft}>
        {({ draft: d, document }) => (
          <>
            <section className="card" aria-labelledby="draft-state">
              <h2 id="draft-state">
                {d.name ?? 'Unnamed'} {d.version !== null ? `— version ${d.version}` : ''}
              </h2>
              <p>
                Uploaded by {d.createdBy} on {formatDateTime(d.createdAt)}; last saved by {d.updatedBy} on{' '}
                {formatDateTime(d.updatedAt)}.
              </p>
              {d.problems.length > 0 ? (
                <Problems draft={d} />
              ) : (
                <p className="notice">This draft is valid.</p>
              )}
            </section>
            {mayChange && !d.scheduled && (
              <section className="card" aria-labelledby="draft-fix">
                <h2 id="draft-fix">{d.problems.length > 0 ? 'Fix the draft' : 'Change the draft'}</h2>
                <DraftUpload
                  key={d.updatedAt}
                  draftId={d.id}
                  initial={JSON.stringify(document, null, 2)}
                  onSaved={() => draft.reload()}
                />
              </section>
            )}
            {d.problems.length === 0 && (
              <>
                <section className="card" aria-labelledby="draft-diff">
                  <h2 id="draft-diff">What it changes</h2>
                  <DraftDiff id={d.id} />
                </section>
                <section className="card" aria-labelledby="draft-simulate">
                  <h2 id="draft-simulate">Simulate a basket</h2>
                  <SimulateForm draftId={d.id} tiers={tiersOf(document)} />
                </section>
                {mayChange && (
                  <section className="card" aria-labelledby="draft-publish">
                    <h2 id="draft-publish">Publish</h2>
                    <Publish draft={d} onDone={() => draft.reload()} />
                  </section>
                )}
              </>
            )}
          </>
        )}
      </Loaded>
    </>
  );
}
