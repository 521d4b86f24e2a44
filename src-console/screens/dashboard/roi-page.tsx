// The program's ROI for a range of days (and a store): the assumptions as a form beside the result, the
// result with the assumptions it used, what it cost and what it brought line by line, and the visit
// frequencies (by enrollment month, by tier, before and after a member's first reward) to judge the
// assumptions by. The method is src-shared/reports/roi.ts; HQ answers it with its figures.
import { useState, type FormEvent } from 'react';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { dashboardEndpoints } from '../../../src-shared/console/dashboard.js';
import {
  DEFAULT_ROI_ASSUMPTIONS,
  type RoiAssumptions,
  type RoiMethod,
  type RoiResult,
} from '../../../src-shared/reports/roi.js';
import { DataTable } from '../../components/data-table.js';
import { SelectField, TextField } from '../../components/field.js';
import { formatDay, formatMoney, formatNumber } from '../../components/format.js';
import { Link } from '../../components/link.js';
import { PageHeader } from '../../components/page-header.js';
import { Loaded } from '../../components/states.js';
import { useConsoleQuery } from '../../components/use-console-query.js';
import type { PageProps } from '../../page.js';
import { ChartFrame } from './chart-frame.js';
import { COLORS } from './chart-style.js';
import { DashboardFilters, filterQuery, type DashboardFilter } from './dashboard-page.js';
import './dashboard.css';

const METHOD_LABELS: Record<RoiMethod, string> = {
  'incremental-share': 'A share of members\u2019 spend is incremental',
  'baseline-visits': 'Visits above a baseline rate are incremental',
};

type Draft = Record<Exclude<keyof RoiAssumptions, 'method'>, string> & { method: RoiMethod };

/** Minor units per major unit of a currency (100 for EUR, 1 for JPY). */
const minorPerMajor = (currency: string): number =>
  10 **
  (new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2);

const toDraft = (a: RoiAssumptions, currency: string): Draft => ({
  grossMarginPercent: String(a.grossMarginPercent),
  method: a.method,
  incrementalSharePercent: String(a.incrementalSharePercent),
  baselineVisitsPerMonth: String(a.baselineVisitsPerMonth),
  expectedBreakagePercent: String(a.expectedBreakagePercent),
  fixedCostPerMonth: String(a.fixedCostPerMonth / minorPerMajor(currency)),
});

/** The draft as assumptions, or the fields that are not numbers in their bounds. */
function parseDraft(
  draft: Draft,
  currency: string,
): { assumptions: RoiAssumptions } | { errors: Partial<Draft> } {
  const errors: Partial<Record<keyof Draft, string>> = {};
  const number = (key: Exclude<keyof Draft, 'method'>, max: number): number => {
    const value = Number(draft[key].trim().replace(',', '.'));
    if (draft[key].trim() === '' || !Number.isFinite(value) || value < 0 || value > max)
      errors[key] = `A number from 0 to ${formatNumber(max)}.`;
    return value;
  };
  const assumptions: RoiAssumptions = {
    method: draft.method,
    grossMarginPercent: number('grossMarginPercent', 100),
    incrementalSharePercent: number('incrementalSharePercent', 100),
    baselineVisitsPerMonth: number('baselineVisitsPerMonth', 100),
    expectedBreakagePercent: number('expectedBreakagePercent', 100),
    fixedCostPerMonth: Math.round(number('fixedCostPerMonth', 1e10) * minorPerMajor(currency)),
  };
  return Object.keys(errors).length > 0 ? { errors: errors as Partial<Draft> } : { assumptions };
}

const percent = (x: number | null): string => (x === null ? '—' : `${formatNumber(x)}%`);
const rate = (x: number | null): string => (x === null ? '—' : formatNumber(x));

function AssumptionsForm({
  currency,
  applied,
  onApply,
}: {
  currency: string;
  applied: RoiAssumptions;
  onApply: (a: RoiAssumptions) => void;
}) {
  const [draft, setDraft] = useState<Draft>(() => toDraft(applied, currency));
  const [errors, setErrors] = useState<Partial<Draft>>({});
  const set = (key: keyof Draft) => (value: string) => setDraft({ ...draft, [key]: value });
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    const parsed = parseDraft(draft, currency);
    if ('errors' in parsed) setErrors(parsed.errors);
    else {
      setErrors({});
      onApply(parsed.assumptions);
    }
  };
  return (
    <form
      className="card form roi-assumptions"
      onSubmit={submit}
      aria-labelledby="assumptions-title"
      noValidate
    >
      <h2 id="assumptions-title">Assumptions</h2>
      <p className="field-hint">
        What the program&rsquo;s own data cannot tell. Change them and recalculate: the result shows the ones
        it used.
      </p>
      <TextField
        label="Gross margin on sales (%)"
        type="number"
        value={draft.grossMarginPercent}
        onChange={set('grossMarginPercent')}
        error={errors.grossMarginPercent}
        hint="What a euro of extra sales leaves after the cost of the goods."
      />
      <SelectField
        label="Incremental spend"
        value={draft.method}
        onChange={(method) => setDraft({ ...draft, method })}
        options={(Object.keys(METHOD_LABELS) as RoiMethod[]).map((m) => ({
          value: m,
          label: METHOD_LABELS[m],
        }))}
      />
      {draft.method === 'incremental-share' ? (
        <TextField
          label="Incremental share of members' spend (%)"
          type="number"
          value={draft.incrementalSharePercent}
          onChange={set('incrementalSharePercent')}
          error={errors.incrementalSharePercent}
          hint="The part members would not have spent without the program."
        />
      ) : (
        <TextField
          label="Baseline visits per member per month"
          type="number"
          value={draft.baselineVisitsPerMonth}
          onChange={set('baselineVisitsPerMonth')}
          error={errors.baselineVisitsPerMonth}
          hint="Visits members would make anyway; the ones above count, at the average basket."
        />
      )}
      <TextField
        label="Expected breakage (%)"
        type="number"
        value={draft.expectedBreakagePercent}
        onChange={set('expectedBreakagePercent')}
        error={errors.expectedBreakagePercent}
        hint="The share of points outstanding that will never be redeemed."
      />
      <TextField
        label={`Fixed running cost per month (${currency})`}
        type="number"
        value={draft.fixedCostPerMonth}
        onChange={set('fixedCostPerMonth')}
        error={errors.fixedCostPerMonth}
        hint="Software, cards, staff time."
      />
      <div className="form-actions">
        <button type="submit" className="button button-primary">
          Recalculate
        </button>
        <button
          type="button"
          className="button"
          onClick={() => {
            setDraft(toDraft(DEFAULT_ROI_ASSUMPTIONS, currency));
            setErrors({});
            onApply(DEFAULT_ROI_ASSUMPTIONS);
          }}
        >
          Defaults
        </button>
      </div>
    </form>
  );
}

function Result({ r }: { r: RoiResult }) {
  const money = (minor: number | null) => (minor === null ? '—' : formatMoney(minor, r.facts.currency));
  const a = r.assumptions;
  const line = (label: string, value: number) => ({ label, value });
  const costs = [
    line('Free products at cost price', r.cost.rewards.products),
    line('Discounts', r.cost.rewards.discounts),
    line('Gift cards', r.cost.rewards.giftCards),
    line('Donations', r.cost.rewards.donations),
    line('Other rewards (at the point value)', r.cost.rewards.other),
    line('Change of the points liability', r.cost.liabilityChange),
    line('Fixed running cost', r.cost.fixed),
    line('Total cost', r.cost.total),
  ];
  const benefits = [
    line('Incremental spend', r.benefit.incrementalSpend),
    line(`Margin on it (${formatNumber(a.grossMarginPercent)}%)`, r.benefit.incrementalMargin),
    line('Paid-plan fees', r.benefit.planFees),
    line('Total benefit', r.benefit.total),
  ];
  const moneyColumns = [
    { header: 'Line', rowHeader: true, cell: (l: { label: string }) => l.label },
    { header: 'Amount', align: 'end' as const, cell: (l: { value: number }) => money(l.value) },
  ];
  const fr = r.frequency.firstReward;
  return (
    <div>
      <section aria-label="Return on the program" className="figures">
        <div className="figure">
          <p className="figure-label">Return on cost</p>
          <p className={`figure-value ${r.net >= 0 ? 'figure-positive' : 'figure-negative'}`}>
            {percent(r.roiPercent)}
          </p>
          <p className="figure-note">net {money(r.net)}</p>
        </div>
        <div className="figure">
          <p className="figure-label">Cost of the program</p>
          <p className="figure-value">{money(r.cost.total)}</p>
          <p className="figure-note">breakage saved {money(r.cost.breakage)}</p>
        </div>
        <div className="figure">
          <p className="figure-label">Benefit</p>
          <p className="figure-value">{money(r.benefit.total)}</p>
          <p className="figure-note">of {money(r.facts.spend)} members spent</p>
        </div>
        <div className="figure">
          <p className="figure-label">Break-even incremental share</p>
          <p className="figure-value">{percent(r.breakEvenSharePercent)}</p>
          <p className="figure-note">of members&rsquo; spend must be extra</p>
        </div>
      </section>
      <section className="card" aria-labelledby="used-title">
        <h2 id="used-title">Assumptions used</h2>
        <dl className="roi-used">
          <dt>Gross margin</dt>
          <dd>{formatNumber(a.grossMarginPercent)}%</dd>
          <dt>Incremental spend</dt>
          <dd>
            {a.method === 'incremental-share'
              ? `${formatNumber(a.incrementalSharePercent)}% of members' spend`
              : `visits above ${formatNumber(a.baselineVisitsPerMonth)} a month`}
          </dd>
          <dt>Expected breakage</dt>
          <dd>{formatNumber(a.expectedBreakagePercent)}%</dd>
          <dt>Fixed cost per month</dt>
          <dd>{money(a.fixedCostPerMonth)}</dd>
          <dt>Days</dt>
          <dd>
            {formatDay(r.from)} to {formatDay(r.to)} ({formatNumber(r.facts.days)})
          </dd>
        </dl>
      </section>
      <div className="card-grid">
        <section className="card" aria-labelledby="cost-title">
          <h2 id="cost-title">What it cost</h2>
          <DataTable
            caption="Cost of the program"
            captionHidden
            columns={moneyColumns}
            rows={costs}
            rowKey={(l) => l.label}
          />
        </section>
        <section className="card" aria-labelledby="benefit-title">
          <h2 id="benefit-title">What it brought</h2>
          <DataTable
            caption="Benefit of the program"
            captionHidden
            columns={moneyColumns}
            rows={benefits}
            rowKey={(l) => l.label}
          />
          <p className="figure-note">
            {formatNumber(r.facts.visits)} visits, average basket {money(r.benefit.averageBasket)};{' '}
            {formatNumber(r.facts.planJoins)} plans joined.
          </p>
        </section>
      </div>
      <ChartFrame
        title="Visits per member per month, by enrollment month"
        description={`bars for each enrollment month's members in the range; all members ${rate(r.frequency.all)} visits a month.`}
        columns={[
          {
            header: 'Enrolled',
            rowHeader: true,
            cell: (c: RoiResult['frequency']['cohorts'][number]) => c.cohort,
          },
          { header: 'Members', align: 'end', cell: (c) => formatNumber(c.members) },
          { header: 'Visits a month', align: 'end', cell: (c) => rate(c.visitsPerMonth) },
          { header: 'Spend per member', align: 'end', cell: (c) => money(c.spendPerMember) },
        ]}
        rows={r.frequency.cohorts}
        rowKey={(c) => c.cohort}
      >
        <ResponsiveContainer>
          <BarChart data={r.frequency.cohorts} accessibilityLayer={false}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="cohort" />
            <YAxis width={48} />
            <Tooltip />
            <Bar dataKey="visitsPerMonth" name="Visits a month" fill={COLORS.issued} />
          </BarChart>
        </ResponsiveContainer>
      </ChartFrame>
      <section className="card" aria-labelledby="tiers-title">
        <h2 id="tiers-title">By tier</h2>
        <DataTable
          caption="Visits and spend by tier"
          captionHidden
          columns={[
            {
              header: 'Tier',
              rowHeader: true,
              cell: (t: RoiResult['frequency']['tiers'][number]) => t.label,
            },
            { header: 'Members', align: 'end', cell: (t) => formatNumber(t.members) },
            { header: 'Visits a month', align: 'end', cell: (t) => rate(t.visitsPerMonth) },
            { header: 'Spend per member', align: 'end', cell: (t) => money(t.spendPerMember) },
          ]}
          rows={r.frequency.tiers}
          rowKey={(t) => t.tier ?? '(none)'}
        />
      </section>
      <section className="card" aria-labelledby="first-title">
        <h2 id="first-title">Before and after a first reward</h2>
        <p>
          {formatNumber(fr.members)} members redeemed for the first time in the range. They came{' '}
          <strong>{rate(fr.before)}</strong> times a month before and <strong>{rate(fr.after)}</strong> after.
        </p>
        <p className="figure-note">
          The same members before and after; members who redeem are the keener ones, so this is evidence for
          the assumptions, not proof of what the reward caused.
        </p>
      </section>
    </div>
  );
}

export function RoiPage(_props: PageProps) {
  const [filter, setFilter] = useState<DashboardFilter>({ range: null, storeId: '' });
  const [assumptions, setAssumptions] = useState<RoiAssumptions>(DEFAULT_ROI_ASSUMPTIONS);
  const roi = useConsoleQuery(dashboardEndpoints.roi, { query: { ...filterQuery(filter), ...assumptions } }, [
    filter.range?.from,
    filter.range?.to,
    filter.storeId,
    JSON.stringify(assumptions),
  ]);
  return (
    <div className="dashboard-page">
      <PageHeader
        title="Program ROI"
        description="What the program cost against the margin on the spend it brought and its fees, with the assumptions that takes."
        actions={<Link to="">Dashboard</Link>}
      />
      <DashboardFilters data={roi.data} filter={filter} onChange={setFilter} />
      <div className="roi-layout">
        <AssumptionsForm
          currency={roi.data?.facts.currency ?? 'EUR'}
          key={roi.data?.facts.currency ?? 'EUR'}
          applied={assumptions}
          onApply={setAssumptions}
        />
        <Loaded query={roi} loadingLabel="Calculating…">
          {(r) => <Result r={r} />}
        </Loaded>
      </div>
    </div>
  );
}
