// A basket simulated under a draft and the current version side by side: lines (a SKU, a category or
// both, a quantity, the line's amount in minor units), the member's tier and the store's local date and
// time; the answer shows each line's points under both versions with the engine's explanation, the
// basket's own bonuses and rounding, the totals and the difference.
import { useState, type FormEvent } from 'react';
import type { ExplanationLine } from '../../../src-shared/ledger/events.js';
import { programEndpoints, type Simulation } from '../../../src-shared/console/program.js';
import { Field, SelectField } from '../../components/field.js';
import { formatNumber } from '../../components/format.js';
import { useConsoleWrite } from '../../components/use-console-write.js';

interface LineDraft {
  sku: string;
  category: string;
  quantity: string;
  amount: string;
}

const EMPTY_LINE: LineDraft = { sku: '', category: '', quantity: '1', amount: '' };

/** Now, as the browser's local `YYYY-MM-DDTHH:MM` (a starting value the manager changes). */
function localNow(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}T${pad(now.getHours())}:${pad(now.getMinutes())}`;
}

const signed = (n: number): string => (n > 0 ? `+${formatNumber(n)}` : formatNumber(n));

function Why({ lines }: { lines: readonly ExplanationLine[] }) {
  if (lines.length === 0) return <span className="field-hint">earns nothing</span>;
  return (
    <ul className="explanation">
      {lines.map((line) => (
        <li key={line.ruleId}>
          {line.label}: {signed(line.points)} ({line.detail})
        </li>
      ))}
    </ul>
  );
}

function Result({ result }: { result: Simulation }) {
  const { draft, current, difference, lines } = result;
  return (
    <div className="table-frame">
      <table className="data-table" aria-label="Simulation result">
        <caption>
          Points for this basket: draft version {draft.version}
          {current ? ` against current version ${current.version}` : ' (nothing is published yet)'}
        </caption>
        <thead>
          <tr>
            <th scope="col">Line</th>
            {current && <th scope="col">Current (version {current.version})</th>}
            <th scope="col">Draft (version {draft.version})</th>
            {difference && (
              <th scope="col" className="num">
                Difference
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {lines.map((line, i) => (
            <tr key={i}>
              <th scope="row">
                {line.quantity} × {line.sku} ({line.category || 'no category'})
                {draft.lines[i]?.excluded ? ' — excluded from earning' : ''}
              </th>
              {current && (
                <td>
                  <strong>{formatNumber(current.lines[i]?.points ?? 0)}</strong>
                  <Why lines={current.lines[i]?.explanation ?? []} />
                </td>
              )}
              <td>
                <strong>{formatNumber(draft.lines[i]?.points ?? 0)}</strong>
                <Why lines={draft.lines[i]?.explanation ?? []} />
              </td>
              {difference && <td className="num">{signed(difference.lines[i] ?? 0)}</td>}
            </tr>
          ))}
          <tr>
            <th scope="row">Basket bonuses and rounding</th>
            {current && <td>{signed(current.basketLevel)}</td>}
            <td>{signed(draft.basketLevel)}</td>
            {difference && <td className="num">{signed(draft.basketLevel - (current?.basketLevel ?? 0))}</td>}
          </tr>
          <tr>
            <th scope="row">Total</th>
            {current && (
              <td data-testid="current-total">
                <strong>{formatNumber(current.points)} points</strong>
                <Why lines={current.explanation} />
              </td>
            )}
            <td data-testid="draft-total">
              <strong>{formatNumber(draft.points)} points</strong>
              <Why lines={draft.explanation} />
            </td>
            {difference && (
              <td className="num" data-testid="difference-total">
                <strong>{signed(difference.points)}</strong>
              </td>
            )}
          </tr>
        </tbody>
      </table>
      {[...(current?.notes ?? []), ...draft.notes].map((note) => (
        <p key={note} className="notice">
          {note}
        </p>
      ))}
    </div>
  );
}

export function SimulateForm({
  draftId,
  tiers,
}: {
  draftId: number;
  tiers: readonly { id: string; label: string }[];
}) {
  const [lines, setLines] = useState<LineDraft[]>([{ ...EMPTY_LINE }]);
  const [tier, setTier] = useState('');
  const [at, setAt] = useState(localNow);
  const [result, setResult] = useState<Simulation | null>(null);
  const write = useConsoleWrite();

  const setLine = (i: number, change: Partial<LineDraft>): void =>
    setLines(lines.map((line, j) => (j === i ? { ...line, ...change } : line)));

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const answer = await write.run(programEndpoints.simulateProgramDraft, {
      params: { id: draftId },
      body: {
        lines: lines.map((line) => ({
          ...(line.sku.trim() ? { sku: line.sku.trim() } : {}),
          ...(line.category.trim() ? { category: line.category.trim() } : {}),
          quantity: Number(line.quantity),
          amount: Number(line.amount),
        })),
        tier: tier || null,
        localDateTime: at,
      },
    });
    if (answer) setResult(answer);
  };

  // HQ names a line's problem by its path (`lines[1].category`); the form shows it on the line.
  const lineProblem = (i: number): string | null => write.problems[`lines[${i}]`] ?? null;

  return (
    <>
      <form className="form" onSubmit={(e) => void submit(e)} aria-label="Simulate a basket">
        <fieldset>
          <legend>Basket lines</legend>
          {lines.map((line, i) => (
            <div className="filters" key={i} role="group" aria-label={`Line ${i + 1}`}>
              <Field label={`Line ${i + 1} SKU`} error={null}>
                {(control) => (
                  <input
                    {...control}
                    value={line.sku}
                    onChange={(e) => setLine(i, { sku: e.target.value })}
                  />
                )}
              </Field>
              <Field label={`Line ${i + 1} category`} error={lineProblem(i)}>
                {(control) => (
                  <input
                    {...control}
                    value={line.category}
                    onChange={(e) => setLine(i, { category: e.target.value })}
                  />
                )}
              </Field>
              <Field label={`Line ${i + 1} quantity`}>
                {(control) => (
                  <input
                    {...control}
                    type="number"
                    min={1}
                    step={1}
                    required
                    value={line.quantity}
                    onChange={(e) => setLine(i, { quantity: e.target.value })}
                  />
                )}
              </Field>
              <Field label={`Line ${i + 1} amount (minor units)`} hint="The whole line, e.g. 450 for 4.50">
                {(control) => (
                  <input
                    {...control}
                    type="number"
                    min={0}
                    step={1}
                    required
                    value={line.amount}
                    onChange={(e) => setLine(i, { amount: e.target.value })}
                  />
                )}
              </Field>
              {lines.length > 1 && (
                <div className="form-actions">
                  <button
                    type="button"
                    className="button button-small"
                    onClick={() => setLines(lines.filter((_, j) => j !== i))}
                  >
                    Remove line {i + 1}
                  </button>
                </div>
              )}
            </div>
          ))}
          <button
            type="button"
            className="button button-small"
            onClick={() => setLines([...lines, { ...EMPTY_LINE }])}
          >
            Add a line
          </button>
        </fieldset>
        <div className="filters">
          <SelectField
            label="Member tier"
            value={tier}
            onChange={setTier}
            options={[
              { value: '', label: 'No tier' },
              ...tiers.map((t) => ({ value: t.id, label: t.label })),
            ]}
          />
          <Field label="Date and time at the store" hint="The store's local time">
            {(control) => (
              <input
                {...control}
                type="datetime-local"
                required
                value={at}
                onChange={(e) => setAt(e.target.value)}
              />
            )}
          </Field>
        </div>
        {write.error && (
          <p className="form-error" role="alert">
            {write.error}
          </p>
        )}
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={write.busy}>
            Simulate
          </button>
        </div>
      </form>
      {result && <Result result={result} />}
    </>
  );
}
