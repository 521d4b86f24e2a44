// The dashboard: the program's figures for a range of days (the program's local days, as the CLI's reports
// count them) and every store or one. Figure cards on top, then the charts, each with its figures as a
// table, then the stores. A store manager sees only their stores (HQ scopes the answer).
import { useState } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import {
  dashboardEndpoints,
  type Dashboard,
  type DashboardDay,
  type RewardLine,
  type StoreLine,
} from '../../../src-shared/console/dashboard.js';
import { DataTable, type Column } from '../../components/data-table.js';
import { DateRangePicker, type DayRange } from '../../components/date-range.js';
import { SelectField } from '../../components/field.js';
import { formatDay, formatMoney, formatNumber, formatPoints } from '../../components/format.js';
import { Link } from '../../components/link.js';
import { PageHeader } from '../../components/page-header.js';
import { Loaded } from '../../components/states.js';
import { useConsoleQuery } from '../../components/use-console-query.js';
import type { PageProps } from '../../page.js';
import { ChartFrame } from './chart-frame.js';
import { COLORS, shortDay, tooltipDay } from './chart-style.js';
import './dashboard.css';

/** The range and store the page shows: null until the user picks (HQ's default, the last 30 days). */
export interface DashboardFilter {
  range: DayRange | null;
  storeId: string;
}

export const filterQuery = (filter: DashboardFilter) => ({
  ...(filter.range ?? {}),
  ...(filter.storeId ? { storeId: filter.storeId } : {}),
});

/** The date range and store pickers both dashboard pages share. */
export function DashboardFilters({
  data,
  filter,
  onChange,
}: {
  data: { from: string; to: string; stores: readonly { id: string; name: string }[] } | null;
  filter: DashboardFilter;
  onChange: (filter: DashboardFilter) => void;
}) {
  const range = filter.range ?? (data ? { from: data.from, to: data.to } : null);
  return (
    <div className="card dashboard-filters">
      {range && (
        <DateRangePicker
          legend="Days (the program's time zone)"
          value={range}
          onChange={(next) => onChange({ ...filter, range: next })}
        />
      )}
      <SelectField
        label="Store"
        value={filter.storeId}
        onChange={(storeId) => onChange({ ...filter, storeId })}
        options={[
          { value: '', label: 'All stores' },
          ...(data?.stores ?? []).map((s) => ({ value: s.id, label: s.name })),
        ]}
      />
    </div>
  );
}

function Figure({ label, value, note }: { label: string; value: string; note?: string }) {
  return (
    <div className="figure">
      <p className="figure-label">{label}</p>
      <p className="figure-value">{value}</p>
      {note && <p className="figure-note">{note}</p>}
    </div>
  );
}

/** From zero (or below, when debts outweigh balances) to the top of the data, on both liability axes. */
const LIABILITY_DOMAIN: [(min: number) => number, string] = [(min) => Math.min(0, min), 'dataMax'];

const dayColumn: Column<DashboardDay> = { header: 'Day', rowHeader: true, cell: (d) => formatDay(d.day) };
const pointsColumn = (header: string, key: 'issued' | 'redeemed' | 'expired' | 'liabilityPoints') => ({
  header,
  align: 'end' as const,
  cell: (d: DashboardDay) => formatNumber(d[key]),
});

function Charts({ d }: { d: Dashboard }) {
  const money = (minor: number) => formatMoney(minor, d.currency);
  const dayKey = (x: DashboardDay) => x.day;
  const rewardKey = (r: RewardLine) => r.rewardId;
  const rewardColumns: Column<RewardLine>[] = [
    { header: 'Reward', rowHeader: true, cell: (r) => r.label },
    { header: 'Redemptions', align: 'end', cell: (r) => formatNumber(r.redemptions) },
    { header: 'Points', align: 'end', cell: (r) => formatNumber(r.points) },
    { header: 'Value', align: 'end', cell: (r) => money(r.value) },
  ];
  return (
    <>
      <div className="chart-grid">
        <ChartFrame
          title="Points issued, redeemed and expired per day"
          description={`stacked bars for each day from ${formatDay(d.from)} to ${formatDay(d.to)}; in all ${formatNumber(d.totals.issued)} issued, ${formatNumber(d.totals.redeemed)} redeemed and ${formatNumber(d.totals.expired)} expired.`}
          columns={[
            dayColumn,
            pointsColumn('Issued', 'issued'),
            pointsColumn('Redeemed', 'redeemed'),
            pointsColumn('Expired', 'expired'),
          ]}
          rows={d.days}
          rowKey={dayKey}
        >
          <ResponsiveContainer>
            <BarChart data={d.days} accessibilityLayer={false}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="day" tickFormatter={shortDay} minTickGap={16} />
              <YAxis tickFormatter={formatNumber} width={64} />
              <Tooltip labelFormatter={tooltipDay} formatter={(v) => formatNumber(Number(v))} />
              <Legend />
              <Bar dataKey="issued" name="Issued" stackId="points" fill={COLORS.issued} />
              <Bar dataKey="redeemed" name="Redeemed" stackId="points" fill={COLORS.redeemed} />
              <Bar dataKey="expired" name="Expired" stackId="points" fill={COLORS.expired} />
            </BarChart>
          </ResponsiveContainer>
        </ChartFrame>
        <ChartFrame
          title="Points liability at the end of each day"
          description={`a line of the net points owed, from ${formatPoints(d.days[0]?.liabilityPoints ?? 0)} on ${formatDay(d.from)} to ${formatPoints(d.cards.liabilityPoints)} (${money(d.cards.liabilityMoney)}) on ${formatDay(d.to)}.`}
          columns={[
            dayColumn,
            pointsColumn('Points', 'liabilityPoints'),
            { header: 'Money', align: 'end', cell: (x) => money(x.liabilityMoney) },
          ]}
          rows={d.days}
          rowKey={dayKey}
        >
          <ResponsiveContainer>
            <LineChart data={d.days} accessibilityLayer={false}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="day" tickFormatter={shortDay} minTickGap={16} />
              {/* One line on two scales: both axes run from the same floor to the same top, so the money
                  axis reads the points line in money (money is the points at the point value). */}
              <YAxis yAxisId="points" tickFormatter={formatNumber} width={72} domain={LIABILITY_DOMAIN} />
              <YAxis
                yAxisId="money"
                orientation="right"
                tickFormatter={(v: number) => money(v)}
                width={88}
                domain={LIABILITY_DOMAIN}
              />
              <Tooltip
                labelFormatter={tooltipDay}
                formatter={(v, name) => (name === 'Money' ? money(Number(v)) : formatNumber(Number(v)))}
              />
              <Line
                yAxisId="points"
                dataKey="liabilityPoints"
                name="Points"
                stroke={COLORS.issued}
                dot={false}
                strokeWidth={2}
              />
              <Line
                yAxisId="money"
                dataKey="liabilityMoney"
                name="Money"
                stroke="none"
                dot={false}
                activeDot={false}
                legendType="none"
              />
            </LineChart>
          </ResponsiveContainer>
        </ChartFrame>
        <ChartFrame
          title="New and active members per day"
          description={`bars of members who enrolled and a line of members who came in, each day; in the range ${formatNumber(d.cards.newMembers)} new and ${formatNumber(d.cards.activeMembers)} active members.`}
          columns={[
            dayColumn,
            { header: 'New', align: 'end', cell: (x) => formatNumber(x.newMembers) },
            { header: 'Active', align: 'end', cell: (x) => formatNumber(x.activeMembers) },
          ]}
          rows={d.days}
          rowKey={dayKey}
        >
          <ResponsiveContainer>
            <ComposedChart data={d.days} accessibilityLayer={false}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="day" tickFormatter={shortDay} minTickGap={16} />
              <YAxis tickFormatter={formatNumber} width={64} />
              <Tooltip labelFormatter={tooltipDay} formatter={(v) => formatNumber(Number(v))} />
              <Legend />
              <Bar dataKey="newMembers" name="New" fill={COLORS.new} />
              <Line
                dataKey="activeMembers"
                name="Active"
                stroke={COLORS.issued}
                dot={false}
                strokeWidth={2}
              />
            </ComposedChart>
          </ResponsiveContainer>
        </ChartFrame>
        <ChartFrame
          title="Redemptions by reward"
          description={
            d.rewards.length === 0
              ? 'no redemptions in the range.'
              : `bars of redemptions for each reward; the most redeemed is ${d.rewards[0]?.label} (${formatNumber(d.rewards[0]?.redemptions ?? 0)}).`
          }
          columns={rewardColumns}
          rows={d.rewards}
          rowKey={rewardKey}
        >
          <ResponsiveContainer>
            <BarChart data={d.rewards} layout="vertical" accessibilityLayer={false}>
              <CartesianGrid strokeDasharray="3 3" horizontal={false} />
              <XAxis type="number" tickFormatter={formatNumber} allowDecimals={false} />
              <YAxis type="category" dataKey="label" width={140} />
              <Tooltip formatter={(v) => formatNumber(Number(v))} />
              <Bar dataKey="redemptions" name="Redemptions" fill={COLORS.redeemed} />
            </BarChart>
          </ResponsiveContainer>
        </ChartFrame>
        <ChartFrame
          title="Donations by charity"
          description={
            d.donations.length === 0
              ? 'no donations in the range.'
              : `bars of the money given to each charity: ${d.donations.map((r) => `${r.charity ?? r.label} ${money(r.value)}`).join(', ')}.`
          }
          columns={[
            { header: 'Charity', rowHeader: true, cell: (r: RewardLine) => r.charity ?? r.label },
            ...rewardColumns.slice(1),
          ]}
          rows={d.donations}
          rowKey={rewardKey}
        >
          <ResponsiveContainer>
            <BarChart data={d.donations} layout="vertical" accessibilityLayer={false}>
              <CartesianGrid strokeDasharray="3 3" horizontal={false} />
              <XAxis type="number" tickFormatter={(v: number) => money(v)} />
              <YAxis type="category" dataKey="charity" width={140} />
              <Tooltip formatter={(v) => money(Number(v))} />
              <Bar dataKey="value" name="Given" fill={COLORS.money} />
            </BarChart>
          </ResponsiveContainer>
        </ChartFrame>
        <ChartFrame
          title="Members by tier"
          description={`bars of members in each tier now: ${d.tiers.map((t) => `${t.label} ${formatNumber(t.members)}`).join(', ')}.`}
          columns={[
            { header: 'Tier', rowHeader: true, cell: (t: Dashboard['tiers'][number]) => t.label },
            { header: 'Members', align: 'end', cell: (t) => formatNumber(t.members) },
          ]}
          rows={d.tiers}
          rowKey={(t) => t.tier ?? '(none)'}
        >
          <ResponsiveContainer>
            <BarChart data={d.tiers} accessibilityLayer={false}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="label" />
              <YAxis tickFormatter={formatNumber} allowDecimals={false} width={64} />
              <Tooltip formatter={(v) => formatNumber(Number(v))} />
              <Bar dataKey="members" name="Members" fill={COLORS.new} />
            </BarChart>
          </ResponsiveContainer>
        </ChartFrame>
      </div>
    </>
  );
}

const STORE_COLUMNS: readonly Column<StoreLine>[] = [
  { header: 'Store', rowHeader: true, cell: (s) => s.name },
  { header: 'Events', align: 'end', cell: (s) => formatNumber(s.events) },
  { header: 'Issued', align: 'end', cell: (s) => formatNumber(s.issued) },
  { header: 'Redeemed', align: 'end', cell: (s) => formatNumber(s.redeemed) },
  { header: 'Expired', align: 'end', cell: (s) => formatNumber(s.expired) },
  { header: 'Net points', align: 'end', cell: (s) => formatNumber(s.net) },
  { header: 'Active members', align: 'end', cell: (s) => formatNumber(s.activeMembers) },
  { header: 'New members', align: 'end', cell: (s) => formatNumber(s.newMembers) },
  { header: 'Redemptions', align: 'end', cell: (s) => formatNumber(s.redemptions) },
];

function DashboardBody({ d }: { d: Dashboard }) {
  const c = d.cards;
  return (
    <>
      <section aria-label="Key figures" className="figures">
        <Figure
          label="Points liability"
          value={formatPoints(c.liabilityPoints)}
          note={`at the end of ${formatDay(d.to)}`}
        />
        <Figure
          label="Liability in money"
          value={formatMoney(c.liabilityMoney, d.currency)}
          note={`${formatNumber(d.pointValue.points)} points = ${formatMoney(d.pointValue.value, d.currency)}`}
        />
        <Figure label="Members" value={formatNumber(c.members)} note="enrolled, now" />
        <Figure
          label="Active members"
          value={formatNumber(c.activeMembers)}
          note="came in during the range"
        />
        <Figure label="New members" value={formatNumber(c.newMembers)} note="enrolled during the range" />
        <Figure label="Open reviews" value={formatNumber(c.openReviews)} note="waiting for a decision" />
      </section>
      <Charts d={d} />
      <section className="card" aria-labelledby="stores-title">
        <h2 id="stores-title">By store</h2>
        <DataTable
          caption="Figures by store for the range"
          captionHidden
          columns={STORE_COLUMNS}
          rows={d.perStore}
          rowKey={(s) => s.storeId}
          empty="No store had events in this range."
        />
      </section>
      <section className="card" aria-labelledby="reviews-title">
        <h2 id="reviews-title">Open review items</h2>
        <DataTable
          caption="Open review items by kind"
          captionHidden
          columns={[
            { header: 'Kind', rowHeader: true, cell: (k: Dashboard['reviews']['byKind'][number]) => k.kind },
            { header: 'Open', align: 'end', cell: (k) => formatNumber(k.open) },
          ]}
          rows={d.reviews.byKind}
          rowKey={(k) => k.kind}
          empty="No review item is waiting."
        />
        <p>
          <Link to="reviews">Open the review queue</Link>
        </p>
      </section>
    </>
  );
}

export function DashboardPage(_props: PageProps) {
  const [filter, setFilter] = useState<DashboardFilter>({ range: null, storeId: '' });
  const dashboard = useConsoleQuery(dashboardEndpoints.dashboard, { query: filterQuery(filter) }, [
    filter.range?.from,
    filter.range?.to,
    filter.storeId,
  ]);
  return (
    <div className="dashboard-page">
      <PageHeader
        title="Dashboard"
        description="Points, members and rewards from what HQ applied, day by day: the same figures as the CLI's reports."
        actions={<Link to="roi">Program ROI</Link>}
      />
      <DashboardFilters data={dashboard.data} filter={filter} onChange={setFilter} />
      <Loaded query={dashboard} loadingLabel="Loading the dashboard…">
        {(d) => <DashboardBody d={d} />}
      </Loaded>
    </div>
  );
}
