// Listens for keyboard-wedge scans anywhere in the window and hands each one, classified by the same
// code as serial scans, to `onScan`. Keys of a burst are kept out of the focused text field until the
// burst is known; if it was a person typing fast, they are typed into that field after all, in order.
import { useEffect, useRef } from 'react';
import { classifyFrame, type ScanResult } from '../../src-shared/scan/index.js';
import type { CardPattern } from '../../src-shared/program/schema.js';
import { defaultWedgeOptions, WedgeDetector, type WedgeOptions } from './wedge-detector.js';

export function useKeyboardWedge(
  onScan: (result: ScanResult) => void,
  options: { cardPatterns: readonly CardPattern[]; referenceYear: number; wedge?: WedgeOptions },
): void {
  const latest = useRef({ onScan, options });
  latest.current = { onScan, options };
  useEffect(() => {
    const detector = new WedgeDetector((text) => {
      const { onScan: deliver, options: o } = latest.current;
      deliver(
        classifyFrame(text, {
          cardPatterns: o.cardPatterns,
          referenceYear: o.referenceYear,
          source: 'wedge',
        }),
      );
    }, options.wedge ?? defaultWedgeOptions);
    const gapMs = (options.wedge ?? defaultWedgeOptions).maxGapMs;
    let heldIn: EventTarget | null = null;
    let quiet: ReturnType<typeof setTimeout> | undefined;
    const giveBack = () => {
      const released = detector.takeReleased();
      if (released) typeInto(heldIn, released);
      heldIn = null;
    };
    const listener = (event: KeyboardEvent) => {
      const verdict = detector.key(event);
      // Keys a burst held that turn out to be typing go in first, then this key's own default action.
      if (heldIn) giveBack();
      clearTimeout(quiet);
      if (verdict === 'typing') return;
      event.preventDefault();
      if (verdict === 'scan') {
        detector.takeReleased();
        return;
      }
      heldIn = event.target;
      // No next key within the scanner's gap: the burst was typing.
      quiet = setTimeout(() => {
        detector.settle(performance.now());
        giveBack();
      }, gapMs + 5);
    };
    window.addEventListener('keydown', listener, { capture: true });
    return () => {
      clearTimeout(quiet);
      window.removeEventListener('keydown', listener, { capture: true });
    };
  }, [options.wedge]);
}

/**
 * Types `text` into a text field at its caret as a person would have: the value changes through the
 * element's own setter and an `input` event follows, so React's controlled fields see it.
 */
function typeInto(target: EventTarget | null, text: string): void {
  if (!(target instanceof HTMLInputElement) && !(target instanceof HTMLTextAreaElement)) return;
  const start = target.selectionStart ?? target.value.length;
  const end = target.selectionEnd ?? start;
  const next = target.value.slice(0, start) + text + target.value.slice(end);
  const limited = target.maxLength > 0 ? next.slice(0, target.maxLength) : next;
  // The prototype's setter with the field as receiver: React tracks the value through it.
  Reflect.set(Object.getPrototypeOf(target) as object, 'value', limited, target);
  target.dispatchEvent(new Event('input', { bubbles: true }));
}
