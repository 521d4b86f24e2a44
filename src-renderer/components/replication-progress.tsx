// The first replication: HQ sends no totals, so the bar cannot say "40 %"; it shows how many catalog
// collections are complete, and the documents received so far for each.
import { CATALOG_COLLECTIONS, type SyncStatus } from '../sync-status/index.js';
import { formatPoints } from '../hooks/format.js';
import { useCounterText } from '../i18n/index.js';

/** A collection is ready once it caught up with HQ in this run or in an earlier one (the replica is kept). */
export const collectionReady = (status: SyncStatus, name: (typeof CATALOG_COLLECTIONS)[number]): boolean =>
  status.collections[name].done || status.collections[name].caughtUpAt !== null;

export const catalogReady = (status: SyncStatus): boolean =>
  CATALOG_COLLECTIONS.every((c) => collectionReady(status, c));

export function ReplicationProgress(props: { status: SyncStatus }) {
  const { status } = props;
  const t = useCounterText();
  const ready = CATALOG_COLLECTIONS.filter((c) => collectionReady(status, c)).length;
  return (
    <div className="replication">
      <progress
        aria-label={t('replication.bar')}
        max={CATALOG_COLLECTIONS.length}
        value={ready}
        className="replication-bar"
      />
      <ul className="replication-list">
        {CATALOG_COLLECTIONS.map((c) => (
          <li key={c} className={collectionReady(status, c) ? 'done' : undefined}>
            <span>{t(`replication.collections.${c}`)}</span>
            <span>
              {t('replication.received', {
                formatted: formatPoints(status.collections[c].documents),
              })}
              {collectionReady(status, c) ? t('replication.done') : ''}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
