// The diff of two program versions as a table a program manager reads: section, what happened, which
// item, and each changed field with its value before and after.
import type { z } from 'zod';
import type { programChangeSchema } from '../../../src-shared/console/program.js';

type ProgramChange = z.infer<typeof programChangeSchema>;

const CHANGE_WORDS: Record<ProgramChange['change'], string> = {
  added: 'Added',
  removed: 'Removed',
  changed: 'Changed',
  reordered: 'Reordered',
};

/** A value as short JSON ('—' for absent). */
const shown = (value: unknown): string =>
  value === null || value === undefined ? '—' : JSON.stringify(value);

export function ChangeList({ changes, caption }: { changes: readonly ProgramChange[]; caption: string }) {
  if (changes.length === 0) return <p className="table-empty">No differences.</p>;
  return (
    <div className="table-frame">
      <table className="data-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Section</th>
            <th scope="col">Change</th>
            <th scope="col">Item</th>
            <th scope="col">Field</th>
            <th scope="col">Before</th>
            <th scope="col">After</th>
          </tr>
        </thead>
        <tbody>
          {changes.flatMap((change, c) =>
            change.fields.map((field, f) => (
              <tr key={`${c}:${f}`}>
                {f === 0 && (
                  <>
                    <th scope="row" rowSpan={change.fields.length}>
                      {change.section}
                    </th>
                    <td rowSpan={change.fields.length}>{CHANGE_WORDS[change.change]}</td>
                    <td rowSpan={change.fields.length}>
                      {change.id ? (
                        <>
                          <code>{change.id}</code>
                          {change.label ? ` ${change.label}` : ''}
                        </>
                      ) : (
                        '—'
                      )}
                    </td>
                  </>
                )}
                <td>{field.path ? <code>{field.path}</code> : 'whole item'}</td>
                <td>
                  <code>{shown(field.before)}</code>
                </td>
                <td>
                  <code>{shown(field.after)}</code>
                </td>
              </tr>
            )),
          )}
        </tbody>
      </table>
    </div>
  );
}
