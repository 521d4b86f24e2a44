// The segment and its filters as a form: the segment's own parameters change with the segment (days without
// a visit, days until the points lapse, how close to a reward), then store, tier and minimum points. The
// page applies it on submit, so a half-typed number never queries HQ.
import { useState, type FormEvent } from 'react';
import type { SegmentFilter } from '../../../src-shared/console/engagement.js';
import { fleetEndpoints } from '../../../src-shared/console/fleet.js';
import {
  DEFAULT_DAYS,
  DEFAULT_WITHIN_PERCENT,
  type Segment,
} from '../../../src-shared/engagement/segments.js';
import { SelectField, TextField } from '../../components/field.js';
import { useConsoleQuery } from '../../components/use-console-query.js';

export const SEGMENT_NAMES: Record<Segment, string> = {
  dormant: 'Dormant points',
  expiring: 'Points expiring soon',
  'near-reward': 'One reward away',
};

interface Draft {
  segment: Segment;
  days: string;
  withinPoints: string;
  withinPercent: string;
  storeId: string;
  tier: string;
  minPoints: string;
}

export const DEFAULT_FILTER: SegmentFilter = { segment: 'expiring', days: DEFAULT_DAYS.expiring };

const draftOf = (filter: SegmentFilter): Draft => ({
  segment: filter.segment,
  days: String(filter.days ?? ''),
  withinPoints: String(filter.withinPoints ?? ''),
  withinPercent: String(filter.withinPercent ?? ''),
  storeId: filter.storeId ?? '',
  tier: filter.tier ?? '',
  minPoints: String(filter.minPoints ?? ''),
});

const whole = (text: string): number | undefined => (text.trim() === '' ? undefined : Number(text));

function filterOf(draft: Draft): SegmentFilter {
  const near = draft.segment === 'near-reward';
  const entries = Object.entries({
    segment: draft.segment,
    days: near ? undefined : whole(draft.days),
    withinPoints: near ? whole(draft.withinPoints) : undefined,
    withinPercent: near ? whole(draft.withinPercent) : undefined,
    storeId: draft.storeId || undefined,
    tier: draft.tier.trim() || undefined,
    minPoints: whole(draft.minPoints),
  }).filter(([, value]) => value !== undefined);
  return Object.fromEntries(entries) as SegmentFilter;
}

export function SegmentForm({
  filter,
  onApply,
  problems,
}: {
  filter: SegmentFilter;
  onApply: (filter: SegmentFilter) => void;
  problems: Record<string, string>;
}) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(filter));
  const stores = useConsoleQuery(fleetEndpoints.listStores, {}, []);
  const set = (change: Partial<Draft>): void => setDraft({ ...draft, ...change });
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    onApply(filterOf(draft));
  };
  const chooseSegment = (segment: Segment): void =>
    set({
      segment,
      days: segment === 'near-reward' ? '' : String(DEFAULT_DAYS[segment]),
      withinPoints: '',
      withinPercent: segment === 'near-reward' ? String(DEFAULT_WITHIN_PERCENT) : '',
    });

  return (
    <form className="card filters" onSubmit={submit} aria-label="Choose the segment" noValidate>
      <SelectField
        label="Segment"
        value={draft.segment}
        onChange={chooseSegment}
        options={(Object.keys(SEGMENT_NAMES) as Segment[]).map((s) => ({
          value: s,
          label: SEGMENT_NAMES[s],
        }))}
      />
      {draft.segment === 'dormant' && (
        <TextField
          label="No visit for (days)"
          type="number"
          value={draft.days}
          onChange={(days) => set({ days })}
          error={problems.days}
        />
      )}
      {draft.segment === 'expiring' && (
        <TextField
          label="Expiring within (days)"
          type="number"
          value={draft.days}
          onChange={(days) => set({ days })}
          error={problems.days}
        />
      )}
      {draft.segment === 'near-reward' && (
        <>
          <TextField
            label="At most this many points short"
            type="number"
            value={draft.withinPoints}
            onChange={(withinPoints) => set({ withinPoints })}
            error={problems.withinPoints}
          />
          <TextField
            label="Or at most this % of the reward short"
            type="number"
            value={draft.withinPercent}
            onChange={(withinPercent) => set({ withinPercent })}
            error={problems.withinPercent}
          />
        </>
      )}
      <SelectField
        label="Store (enrolled at)"
        value={draft.storeId}
        onChange={(storeId) => set({ storeId })}
        options={[
          { value: '', label: 'Every store' },
          ...(stores.data?.stores ?? []).map((s) => ({ value: s.id, label: s.name })),
        ]}
        error={problems.storeId}
      />
      <TextField
        label="Tier"
        value={draft.tier}
        onChange={(tier) => set({ tier })}
        hint="A tier id, e.g. gold"
      />
      <TextField
        label="Minimum points"
        type="number"
        value={draft.minPoints}
        onChange={(minPoints) => set({ minPoints })}
        error={problems.minPoints}
      />
      <div className="form-actions">
        <button type="submit" className="button button-primary">
          Show members
        </button>
      </div>
    </form>
  );
}
