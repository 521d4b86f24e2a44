// One stream of scans for the screens, whatever sent them: serial scanners and card readers (the host's
// onScan) and keyboard-wedge scanners (recognised by timing in the renderer). The screen on top handles
// them: each screen registers a handler while it is shown; the latest registered one gets every scan, so
// a dialog opened over a screen takes the scans from it, and gives them back when it closes. No scan goes
// unanswered: with no screen taking scans (the till still starting) the counter's message slot says so, and
// a screen that ignores scans (the manager's) says so once (useIgnoredScans).
import { createContext, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { cardPatternsOf } from '../../src-shared/scan/card-patterns.js';
import type { ScanResult } from '../../src-shared/scan/index.js';
import { useKeyboardWedge } from './use-keyboard-wedge.js';
import { defaultWedgeOptions } from './wedge-detector.js';
import { useProgram } from './use-program.js';
import { useTerminal } from './use-terminal.js';
import { useToast, type ToastActions } from './use-transient-notice.js';
import { i18n } from '../i18n/index.js';
import { refusalsWords } from '../i18n/words/refusals.js';

export type ScanHandler = (result: ScanResult, source: 'serial' | 'wedge') => void;

interface ScanRouter {
  push(handler: { current: ScanHandler }): () => void;
}

const ScanContext = createContext<ScanRouter | null>(null);

export function ScanProvider(props: { children: ReactNode }) {
  const { api } = useTerminal();
  const program = useProgram();
  const stack = useRef<{ current: ScanHandler }[]>([]);
  const toast = useToast();
  const deliver = (result: ScanResult, source: 'serial' | 'wedge') => {
    const top = stack.current[stack.current.length - 1];
    if (top) top.current(result, source);
    else toast.info(i18n.t('refusals.scan.notReady'));
  };
  const deliverRef = useRef(deliver);
  deliverRef.current = deliver;

  useEffect(() => api.onScan((event) => deliverRef.current(event.result, 'serial')), [api]);

  // A wedge scan is only recognisable from its second key on, so its first character has already gone
  // into the focused text field. Each key's field and value before it are noted (registered before the
  // wedge listener, so it sees every key first); on a wedge scan the field is put back as it was.
  const keys = useRef<KeyNote[]>([]);
  useEffect(() => {
    const note = (event: KeyboardEvent) => {
      const focused = document.activeElement;
      const field =
        focused instanceof HTMLInputElement || focused instanceof HTMLTextAreaElement ? focused : null;
      keys.current.push({ at: event.timeStamp, field, before: field?.value ?? '' });
      if (keys.current.length > 64) keys.current.shift();
    };
    window.addEventListener('keydown', note, { capture: true });
    return () => window.removeEventListener('keydown', note, { capture: true });
  }, []);

  const cardPatterns = useMemo(() => cardPatternsOf(program), [program]);
  useKeyboardWedge(
    (result) => {
      undoFirstKey(keys.current);
      deliverRef.current(result, 'wedge');
    },
    {
      cardPatterns,
      referenceYear: new Date().getFullYear(),
    },
  );

  const router = useMemo<ScanRouter>(
    () => ({
      push(handler) {
        stack.current = [...stack.current, handler];
        return () => {
          stack.current = stack.current.filter((h) => h !== handler);
        };
      },
    }),
    [],
  );
  return <ScanContext value={router}>{props.children}</ScanContext>;
}

/** Makes `handler` receive every scan while the calling component is mounted (and `active`). */
export function useScanHandler(handler: ScanHandler, active = true): void {
  const router = useContext(ScanContext);
  if (!router) throw new Error('useScanHandler() outside <ScanProvider>');
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => {
    if (!active) return;
    const entry = { current: (r: ScanResult, s: 'serial' | 'wedge') => latest.current(r, s) };
    return router.push(entry);
  }, [router, active]);
}

/**
 * What a scan gets while no screen takes scans (the till opening, its first replication), in English: the
 * counter says it in the store's language (i18n/words/refusals.ts scan.notReady).
 */
export const NOT_READY_FOR_SCANS = refusalsWords.en.scan.notReady;

/**
 * For a screen that does nothing with scans (the manager's): its scans are taken from the screens under it,
 * and the first one is answered with `message`; later ones are not (the cashier has been told).
 */
export function useIgnoredScans(message: string): void {
  const toast = useToast();
  // One handler for the screen's life: "once" is once per visit of the screen.
  const [handler] = useState(() => ignoredScans(toast, message));
  useScanHandler(handler);
}

/** A scan handler that answers the first scan with `message` and ignores the rest. */
export function ignoredScans(toast: Pick<ToastActions, 'info'>, message: string): ScanHandler {
  let told = false;
  return () => {
    if (told) return;
    told = true;
    toast.info(message);
  };
}

interface KeyNote {
  at: number;
  field: HTMLInputElement | HTMLTextAreaElement | null;
  before: string;
}

/** Puts back the field the first key of the burst that just ended went into. */
function undoFirstKey(notes: KeyNote[]): void {
  let i = notes.length - 1;
  while (i > 0 && notes[i]!.at - notes[i - 1]!.at <= defaultWedgeOptions.maxGapMs) i--;
  const first = notes[i];
  notes.length = 0;
  if (!first?.field || !first.field.isConnected || first.field.value === first.before) return;
  // React tracks a controlled field's value: set it through the native setter and say it changed.
  const proto =
    first.field instanceof HTMLInputElement ? HTMLInputElement.prototype : HTMLTextAreaElement.prototype;
  Object.getOwnPropertyDescriptor(proto, 'value')?.set?.call(first.field, first.before);
  first.field.dispatchEvent(new Event('input', { bubbles: true }));
}
