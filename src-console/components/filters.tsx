// Pieces of a filter form above a table: a range of days as two date fields (an end before the start
// is shown as an error), and the Apply / Clear buttons.
import { Field } from './field.js';

export interface DayFilter {
  /** 'YYYY-MM-DD' or '' (open). */
  from: string;
  to: string;
}

/** An end before the start (both given). */
export const dayRangeInvalid = (range: DayFilter): boolean =>
  range.from !== '' && range.to !== '' && range.from > range.to;

export function DayRangeFields({
  value,
  onChange,
  fromLabel = 'From',
  toLabel = 'To',
}: {
  value: DayFilter;
  onChange: (range: DayFilter) => void;
  fromLabel?: string;
  toLabel?: string;
}) {
  return (
    <>
      <Field label={fromLabel} error={dayRangeInvalid(value) ? 'The start is after the end.' : null}>
        {(control) => (
          <input
            {...control}
            type="date"
            value={value.from}
            max={value.to || undefined}
            onChange={(event) => onChange({ ...value, from: event.target.value })}
          />
        )}
      </Field>
      <Field label={toLabel}>
        {(control) => (
          <input
            {...control}
            type="date"
            value={value.to}
            min={value.from || undefined}
            onChange={(event) => onChange({ ...value, to: event.target.value })}
          />
        )}
      </Field>
    </>
  );
}

export function FilterActions({ onClear }: { onClear: () => void }) {
  return (
    <div className="form-actions">
      <button type="submit" className="button button-primary">
        Apply filters
      </button>
      <button type="button" className="button" onClick={onClear}>
        Clear
      </button>
    </div>
  );
}
