// A table of rows: a caption (for screen readers, shown or visually hidden), column headers with
// scope="col", the first column's cells as row headers when `rowHeader` says so, numbers aligned right,
// and a sentence instead of an empty table. Wide tables scroll inside their frame, not the page.
import type { ReactNode } from 'react';

export interface Column<T> {
  header: string;
  cell: (row: T) => ReactNode;
  /** 'end' for numbers and money (right-aligned, tabular figures). */
  align?: 'start' | 'end';
  /** This column names the row (a member, a user): its cells are <th scope="row">. */
  rowHeader?: boolean;
}

export function DataTable<T>({
  caption,
  captionHidden = false,
  columns,
  rows,
  rowKey,
  empty = 'Nothing to show.',
}: {
  caption: string;
  captionHidden?: boolean;
  columns: readonly Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
  empty?: string;
}) {
  if (rows.length === 0) return <p className="table-empty">{empty}</p>;
  const alignClass = (column: Column<T>): string | undefined => (column.align === 'end' ? 'num' : undefined);
  return (
    <div className="table-frame">
      <table className="data-table">
        <caption className={captionHidden ? 'visually-hidden' : undefined}>{caption}</caption>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column.header} scope="col" className={alignClass(column)}>
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((column) =>
                column.rowHeader ? (
                  <th key={column.header} scope="row" className={alignClass(column)}>
                    {column.cell(row)}
                  </th>
                ) : (
                  <td key={column.header} className={alignClass(column)}>
                    {column.cell(row)}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
