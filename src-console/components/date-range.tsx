// A range of calendar days (from and to, both included) as two labelled date inputs and a few presets.
// Days are 'YYYY-MM-DD' strings, as the endpoints' queries take them; a range whose end is before its start
// is shown as an error and not handed on.
import { useState } from 'react';
import { dayRangeInvalid, DayRangeFields } from './filters.js';

export interface DayRange {
  from: string;
  to: string;
}

const DAY_MS = 86_400_000;

/** Today in the browser's calendar, as 'YYYY-MM-DD'. */
export function today(now: Date = new Date()): string {
  const local = new Date(now.getTime() - now.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 10);
}

/** The last `days` days up to and including `to`. */
export function lastDays(days: number, to: string = today()): DayRange {
  const end = Date.parse(`${to}T00:00:00Z`);
  return { from: new Date(end - (days - 1) * DAY_MS).toISOString().slice(0, 10), to };
}

const PRESETS = [
  { label: 'Last 7 days', days: 7 },
  { label: 'Last 30 days', days: 30 },
  { label: 'Last 90 days', days: 90 },
  { label: 'Last 365 days', days: 365 },
] as const;

export function DateRangePicker({
  value,
  onChange,
  legend = 'Dates',
}: {
  value: DayRange;
  onChange: (range: DayRange) => void;
  legend?: string;
}) {
  const [draft, setDraft] = useState(value);
  const [shown, setShown] = useState(value);
  if (shown.from !== value.from || shown.to !== value.to) {
    // A new range from above (a preset, a link): the inputs follow it.
    setShown(value);
    setDraft(value);
  }
  const change = (next: DayRange): void => {
    setDraft(next);
    if (next.from && next.to && !dayRangeInvalid(next)) onChange(next);
  };
  return (
    <fieldset className="date-range">
      <legend>{legend}</legend>
      <div className="date-range-inputs">
        <DayRangeFields value={draft} onChange={change} />
      </div>
      <div className="date-range-presets">
        {PRESETS.map((preset) => {
          const range = lastDays(preset.days);
          const active = range.from === value.from && range.to === value.to;
          return (
            <button
              key={preset.days}
              type="button"
              className="button button-small"
              aria-pressed={active}
              onClick={() => change(range)}
            >
              {preset.label}
            </button>
          );
        })}
      </div>
    </fieldset>
  );
}
