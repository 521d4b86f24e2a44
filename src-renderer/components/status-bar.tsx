// Always on screen: is HQ reachable, how old is the replica (and when does that change), how many events
// wait for HQ, is the scanner there, can the receipt printer print (paper out, offline), and who is signed
// in. A cashier glances at it before promising a customer anything offline. One row at any size: a long pill gives way (its full text in its title).
// With the store LAN on (issue 16), how many of the store's other tills answer: what the store's one
// offline allowance can know of; nothing when it is off.
// Signing out with a sale's basket on screen asks first (use-leave-guard.tsx).
import { useState } from 'react';
import type { DeviceStatus } from '../../src-shared/ipc/index.js';
import type { ReplicaMode } from '../../src-shared/engine/offline.js';
import type { LanStatus } from '../../src-shared/ipc/lan-api.js';
import { formatClockTime, formatCountdown } from '../hooks/format.js';
import { useDevices } from '../hooks/use-devices.js';
import { useLanStatus } from '../hooks/use-lan-status.js';
import { useUnsavedWorkText } from '../hooks/use-leave-guard.js';
import { useNow } from '../hooks/use-now.js';
import { useProgram } from '../hooks/use-program.js';
import { useSession } from '../hooks/use-session.js';
import { useSyncStatus } from '../hooks/use-sync-status.js';
import { i18n, useCounterText } from '../i18n/index.js';
import { ConfirmDialog } from './confirm-dialog.js';

/** "Fresh", "Stale", "Earn only": the replica's mode in the counter's language. */
export const modeLabel = (mode: ReplicaMode): string => i18n.t(`status.modes.${mode}`);

const NEXT_MODE: Record<ReplicaMode, ReplicaMode | null> = {
  fresh: 'stale',
  stale: 'expired',
  expired: null,
};

/** A device pill: its words, how it looks, and the full reason (its title) when there is one. */
export interface DeviceText {
  text: string;
  tone: 'ok' | 'warn' | 'bad';
  title?: string;
}

/** "Scanner connected", "Card reader disconnected", "Printer: out of paper"… one text per device role. */
export function deviceTexts(devices: readonly DeviceStatus[]): DeviceText[] {
  const out: DeviceText[] = [];
  for (const role of ['barcode', 'card'] as const) {
    const mine = devices.filter((d) => d.role === role);
    if (mine.length === 0) continue;
    const ok = mine.every((d) => d.state === 'connected');
    const text =
      role === 'barcode'
        ? i18n.t(ok ? 'status.scannerConnected' : 'status.scannerDisconnected')
        : i18n.t(ok ? 'status.cardReaderConnected' : 'status.cardReaderDisconnected');
    out.push({ text, tone: ok ? 'ok' : 'bad' });
  }
  // The receipt printer: the one the slips go to (the first configured).
  const printer = devices.find((d) => d.role === 'printer');
  if (printer) out.push(printerText(printer));
  return out;
}

/**
 * The receipt printer's pill: ready, or what stops it printing in two or three words (out of paper, cover
 * open, offline, not answering, disconnected), the printer's own sentence in the title.
 */
export function printerText(status: DeviceStatus): DeviceText {
  const reason = status.lastError ?? undefined;
  const titled = (text: string, tone: DeviceText['tone']): DeviceText =>
    reason ? { text, tone, title: reason } : { text, tone };
  switch (status.state) {
    case 'connected':
      return reason && /paper/i.test(reason)
        ? titled(i18n.t('status.printerPaperLow'), 'warn')
        : titled(i18n.t('status.printerReady'), 'ok');
    case 'connecting':
      return titled(i18n.t('status.printerConnecting'), 'warn');
    case 'disconnected':
      return titled(i18n.t('status.printerDisconnected'), 'bad');
    case 'error': {
      const problem = i18n.t(`status.printerProblems.${printerProblem(reason ?? '')}`);
      return titled(i18n.t('status.printerProblem', { problem }), 'bad');
    }
  }
}

/** What stops the printer, from its error sentence (src-main/devices/receipt-printer.ts). */
export type PrinterProblem = 'out-of-paper' | 'cover-open' | 'offline' | 'not-answering' | 'error';
export function printerProblem(reason: string): PrinterProblem {
  if (/paper/i.test(reason)) return 'out-of-paper';
  if (/cover/i.test(reason)) return 'cover-open';
  if (/offline/i.test(reason)) return 'offline';
  if (/does not answer|not answering/i.test(reason)) return 'not-answering';
  return 'error';
}

/**
 * The store LAN's pill: "2 of 3 tills nearby" (all answering: ok; some not: warn; none: bad), "No other
 * till known" when main knows no peer; null when the LAN is off (the bar is as before issue 16).
 */
export function lanText(status: LanStatus): DeviceText | null {
  if (!status.enabled) return null;
  if (status.known === 0) return { text: i18n.t('status.lanAlone'), tone: 'warn' };
  const text = i18n.t('status.lanPeers', { reachable: status.reachable, known: status.known });
  const tone = status.reachable >= status.known ? 'ok' : status.reachable > 0 ? 'warn' : 'bad';
  return { text, tone };
}

const PILL_TONE: Record<DeviceText['tone'], string> = { ok: 'pill-ok', warn: 'pill-warn', bad: 'pill-bad' };

export function StatusBar() {
  const status = useSyncStatus();
  const program = useProgram();
  const devices = useDevices();
  const lan = lanText(useLanStatus());
  const { cashier, signOut } = useSession();
  const unsaved = useUnsavedWorkText();
  const [confirming, setConfirming] = useState(false);
  const t = useCounterText();
  const now = useNow(1000);
  const zone = program?.timeZone ?? null;

  const link = status.online
    ? t('status.online')
    : status.lastContactAt !== null
      ? t('status.offlineSince', { time: formatClockTime(status.lastContactAt, zone) })
      : t('status.offline');
  const replica = status.replica;
  const next = replica ? NEXT_MODE[replica.mode] : null;
  const countdown =
    replica && next && replica.nextChangeAt !== null
      ? t('status.nextModeIn', {
          mode: modeLabel(next),
          countdown: formatCountdown(replica.nextChangeAt - now),
        })
      : null;
  const scanners = deviceTexts(devices);
  // Errors that need a person (not just a network outage): say so where everyone sees it.
  const problem =
    status.lastError && status.lastError.code !== 'offline' ? linkError(status.lastError.code) : null;

  return (
    <>
      {/* A div: the status role is not one a <header> may take (axe, aria-allowed-role). */}
      <div className="status-bar" role="status" aria-label={t('status.bar')}>
        <span className={status.online ? 'pill pill-ok' : 'pill pill-bad'}>{link}</span>
        {replica ? (
          <span
            className={`pill pill-shrink pill-mode-${replica.mode}`}
            title={countdown ? `${modeLabel(replica.mode)} · ${countdown}` : modeLabel(replica.mode)}
          >
            {modeLabel(replica.mode)}
            {countdown ? <span className="pill-detail">· {countdown}</span> : null}
          </span>
        ) : null}
        <span className={status.pending > 0 ? 'pill pill-warn' : 'pill'}>
          {t('status.pending', { count: status.pending })}
        </span>
        {lan ? <span className={`pill pill-shrink ${PILL_TONE[lan.tone]}`}>{lan.text}</span> : null}
        {devices.some((d) => d.role !== 'printer') ? null : (
          <span className="pill">{t('status.noSerialScanner')}</span>
        )}
        {scanners.map((s) => (
          <span
            key={s.text}
            className={`pill pill-shrink ${PILL_TONE[s.tone]}`}
            {...(s.title ? { title: s.title } : {})}
          >
            {s.text}
          </span>
        ))}
        {problem ? (
          <span className="pill pill-shrink pill-bad" title={problem}>
            {problem}
          </span>
        ) : null}
        <span className="status-spacer" />
        {cashier ? (
          <span className="status-cashier">
            <span className="status-cashier-name">
              {cashier.role === 'manager' ? t('status.manager', { name: cashier.name }) : cashier.name}
            </span>
            <button
              type="button"
              className="button button-quiet button-small"
              onClick={() => (unsaved ? setConfirming(true) : signOut())}
            >
              {t('status.signOut')}
            </button>
          </span>
        ) : null}
      </div>
      {confirming && cashier ? (
        <ConfirmDialog
          title={t('status.signOutTitle')}
          confirmLabel={t('status.signOutConfirm')}
          cancelLabel={t('status.keepSale')}
          variant="danger"
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false);
            signOut();
          }}
        >
          <p>{t('status.thrownAway', { what: unsaved ?? t('status.theSale') })}</p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}

const LINK_ERRORS = ['not-enrolled', 'unauthorised', 'upgrade-required', 'server-error'] as const;
/** An HQ link error that needs a person, in words. */
function linkError(code: string): string {
  const known = (LINK_ERRORS as readonly string[]).includes(code)
    ? (code as (typeof LINK_ERRORS)[number])
    : 'other';
  return i18n.t(`status.linkErrors.${known}`);
}
