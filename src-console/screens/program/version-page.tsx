// One published version: what it changed from the version before it, and its document as JSON.
import { programEndpoints } from '../../../src-shared/console/program.js';
import { Link } from '../../components/link.js';
import { PageHeader } from '../../components/page-header.js';
import { Loaded } from '../../components/states.js';
import { useConsoleQuery } from '../../components/use-console-query.js';
import type { PageProps } from '../../page.js';
import { VersionDiff } from './program-page.js';

export function VersionPage({ params }: PageProps) {
  const version = Number(params.version);
  const versions = useConsoleQuery(programEndpoints.programVersions, {}, []);
  return (
    <>
      <PageHeader
        title={`Program version ${params.version ?? ''}`}
        actions={
          <Link to="program" className="button">
            Back to the program
          </Link>
        }
      />
      <Loaded query={versions}>
        {({ versions: rows }) => {
          const row = rows.find((v) => v.version === version);
          if (!row) return <p>Version {params.version} was never published.</p>;
          const previous = rows.find((v) => v.programId === row.programId && v.version < version);
          return (
            <>
              <section className="card" aria-labelledby="version-diff">
                <h2 id="version-diff">
                  {previous ? `Changes from version ${previous.version}` : 'The first version'}
                </h2>
                {previous && <VersionDiff from={previous.version} to={version} />}
              </section>
              <section className="card" aria-labelledby="version-json">
                <h2 id="version-json">Document</h2>
                <VersionDocument programId={row.programId} version={version} />
              </section>
            </>
          );
        }}
      </Loaded>
    </>
  );
}

function VersionDocument({ programId, version }: { programId: string; version: number }) {
  const document = useConsoleQuery(programEndpoints.programVersion, { params: { programId, version } }, [
    programId,
    version,
  ]);
  return <Loaded query={document}>{({ program }) => <pre>{JSON.stringify(program, null, 2)}</pre>}</Loaded>;
}
