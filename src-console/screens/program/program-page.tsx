// The program: the published versions (which is current, who published it), the publications asked for
// (cancel a scheduled one), the drafts with their problems, uploading a new draft, and comparing two
// versions. A draft is worked on its own page (problems, diff, simulation, publishing).
import { useState, type FormEvent } from 'react';
import { roleMayCall } from '../../../src-shared/console/endpoint.js';
import {
  programEndpoints,
  type ProgramDraft,
  type ProgramPublication,
  type ProgramVersionSummary,
} from '../../../src-shared/console/program.js';
import { DataTable, type Column } from '../../components/data-table.js';
import { SelectField } from '../../components/field.js';
import { formatDateTime } from '../../components/format.js';
import { Link } from '../../components/link.js';
import { PageHeader } from '../../components/page-header.js';
import { Loaded } from '../../components/states.js';
import { useConsoleQuery } from '../../components/use-console-query.js';
import { useConsoleWrite } from '../../components/use-console-write.js';
import type { PageProps } from '../../page.js';
import { ChangeList } from './change-list.js';
import { DraftUpload } from './draft-upload.js';

const VERSION_COLUMNS: readonly Column<ProgramVersionSummary>[] = [
  {
    header: 'Version',
    rowHeader: true,
    cell: (v) => <Link to={`program/versions/${v.version}`}>Version {v.version}</Link>,
  },
  { header: 'Name', cell: (v) => v.name },
  { header: 'Published', cell: (v) => <time dateTime={v.publishedAt}>{formatDateTime(v.publishedAt)}</time> },
  { header: 'By', cell: (v) => v.publishedBy ?? 'CLI or seed' },
  { header: 'State', cell: (v) => (v.current ? <span className="badge">Current</span> : '—') },
];

const DRAFT_COLUMNS: readonly Column<ProgramDraft>[] = [
  { header: 'Draft', rowHeader: true, cell: (d) => <Link to={`program/drafts/${d.id}`}>Draft #{d.id}</Link> },
  { header: 'Version', align: 'end', cell: (d) => d.version ?? '—' },
  { header: 'Name', cell: (d) => d.name ?? '—' },
  {
    header: 'Problems',
    cell: (d) =>
      d.problems.length === 0 ? (
        <span className="badge">Valid</span>
      ) : (
        <span className="badge badge-danger">
          {d.problems.length} {d.problems.length === 1 ? 'problem' : 'problems'}
        </span>
      ),
  },
  { header: 'Updated', cell: (d) => `${formatDateTime(d.updatedAt)} by ${d.updatedBy}` },
  {
    header: 'Scheduled',
    cell: (d) => (d.scheduled ? formatDateTime(d.scheduled.publishAt) : '—'),
  },
];

const STATUS_WORDS: Record<ProgramPublication['status'], string> = {
  scheduled: 'Scheduled',
  published: 'Published',
  cancelled: 'Cancelled',
  failed: 'Failed',
};

function Publications({
  publications,
  mayCancel,
  onChange,
}: {
  publications: readonly ProgramPublication[];
  mayCancel: boolean;
  onChange: () => void;
}) {
  const write = useConsoleWrite();
  const cancel = async (id: number): Promise<void> => {
    if (await write.run(programEndpoints.cancelProgramPublication, { params: { id }, body: {} })) onChange();
  };
  const columns: Column<ProgramPublication>[] = [
    { header: 'Version', rowHeader: true, cell: (p) => `Version ${p.version}` },
    { header: 'When', cell: (p) => <time dateTime={p.publishAt}>{formatDateTime(p.publishAt)}</time> },
    {
      header: 'State',
      cell: (p) => (
        <span
          className={
            p.status === 'failed'
              ? 'badge badge-danger'
              : p.status === 'scheduled'
                ? 'badge badge-warning'
                : 'badge badge-muted'
          }
        >
          {STATUS_WORDS[p.status]}
          {p.failure ? `: ${p.failure}` : ''}
        </span>
      ),
    },
    { header: 'Asked by', cell: (p) => p.requestedBy },
    {
      header: 'Action',
      cell: (p) =>
        p.status === 'scheduled' && mayCancel ? (
          <button
            type="button"
            className="button button-small"
            disabled={write.busy}
            onClick={() => void cancel(p.id)}
          >
            Cancel version {p.version}
          </button>
        ) : (
          '—'
        ),
    },
  ];
  return (
    <>
      {write.error && (
        <p className="form-error" role="alert">
          {write.error}
        </p>
      )}
      <DataTable
        caption="Publications"
        captionHidden
        columns={columns}
        rows={publications}
        rowKey={(p) => String(p.id)}
        empty="No publication was asked for from the console."
      />
    </>
  );
}

function Compare({ versions }: { versions: readonly ProgramVersionSummary[] }) {
  const numbers = versions.map((v) => String(v.version));
  const [from, setFrom] = useState(numbers[1] ?? numbers[0] ?? '');
  const [to, setTo] = useState(numbers[0] ?? '');
  const [asked, setAsked] = useState<{ from: number; to: number } | null>(null);
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    setAsked({ from: Number(from), to: Number(to) });
  };
  const options = numbers.map((n) => ({ value: n, label: `Version ${n}` }));
  return (
    <>
      <form className="filters" onSubmit={submit} aria-label="Compare two versions">
        <SelectField label="From" value={from} onChange={setFrom} options={options} />
        <SelectField label="To" value={to} onChange={setTo} options={options} />
        <div className="form-actions">
          <button type="submit" className="button">
            Compare
          </button>
        </div>
      </form>
      {asked && <VersionDiff from={asked.from} to={asked.to} />}
    </>
  );
}

export function VersionDiff({ from, to }: { from: number; to: number }) {
  const diff = useConsoleQuery(programEndpoints.programDiff, { query: { from, to } }, [from, to]);
  return (
    <Loaded query={diff}>
      {(d) => (
        <ChangeList
          caption={`From version ${d.from.version} to version ${d.to.version}`}
          changes={d.changes}
        />
      )}
    </Loaded>
  );
}

export function ProgramPage(props: PageProps) {
  const { user } = props;
  const versions = useConsoleQuery(programEndpoints.programVersions, {}, []);
  const drafts = useConsoleQuery(programEndpoints.programDrafts, {}, []);
  const mayChange = roleMayCall(programEndpoints.createProgramDraft, user.role);
  return (
    <>
      <PageHeader
        title="Program"
        description="The published versions, the drafts, and what a draft would change before it is published."
      />
      <section className="card" aria-labelledby="program-versions">
        <h2 id="program-versions">Versions</h2>
        <Loaded query={versions}>
          {({ versions: rows, publications }) => (
            <>
              <DataTable
                caption="Published versions"
                captionHidden
                columns={VERSION_COLUMNS}
                rows={rows}
                rowKey={(v) => `${v.programId}@${v.version}`}
                empty="No version is published yet."
              />
              <h3>Publications</h3>
              <Publications
                publications={publications}
                mayCancel={mayChange}
                onChange={() => {
                  versions.reload();
                  drafts.reload();
                }}
              />
              {rows.length > 1 && (
                <>
                  <h3>Compare versions</h3>
                  <Compare versions={rows} />
                </>
              )}
            </>
          )}
        </Loaded>
      </section>
      <section className="card" aria-labelledby="program-drafts">
        <h2 id="program-drafts">Drafts</h2>
        <Loaded query={drafts}>
          {({ drafts: rows }) => (
            <DataTable
              caption="Drafts"
              captionHidden
              columns={DRAFT_COLUMNS}
              rows={rows}
              rowKey={(d) => String(d.id)}
              empty="No drafts."
            />
          )}
        </Loaded>
      </section>
      {mayChange && (
        <section className="card" aria-labelledby="program-upload">
          <h2 id="program-upload">Upload a draft</h2>
          <DraftUpload onSaved={(draft) => props.navigate(`program/drafts/${draft.id}`)} />
        </section>
      )}
    </>
  );
}
