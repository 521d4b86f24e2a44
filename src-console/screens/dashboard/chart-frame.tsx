// A chart with the words a screen reader needs: a heading, the picture as one image with a short
// description (the chart itself is hidden from assistive technology, its SVG being a heap of shapes), and
// the figures as a real table under a disclosure, so every number drawn can also be read and copied.
import { useId, type ReactNode } from 'react';
import { DataTable, type Column } from '../../components/data-table.js';

export function ChartFrame<T>({
  title,
  description,
  children,
  columns,
  rows,
  rowKey,
}: {
  title: string;
  /** One or two sentences saying what the chart shows (its aria description). */
  description: string;
  /** The recharts chart (inside a ResponsiveContainer). */
  children: ReactNode;
  columns: readonly Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
}) {
  const id = useId();
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 className="chart-title" id={`${id}-title`}>
        {title}
      </h2>
      {rows.length === 0 ? (
        <p className="table-empty">Nothing in this range.</p>
      ) : (
        <>
          <div className="chart" role="img" aria-label={`${title}: ${description}`}>
            <div aria-hidden="true" className="chart-inner">
              {children}
            </div>
          </div>
          <details className="chart-data">
            <summary>{title}: the figures</summary>
            <DataTable caption={title} captionHidden columns={columns} rows={rows} rowKey={rowKey} />
          </details>
        </>
      )}
    </section>
  );
}
